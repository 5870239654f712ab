// Must not compile (tests/ts/types.sh): each line marked "expect: TSnnnn"
// is where tsc must report that error, and no other line may have one.
import { createPet, getPet, listPets, type GetPetResult, type Pet } from "./petstore.client";
import * as conduit from "./conduit.client";

export async function misuse(r: GetPetResult): Promise<void> {
	await getPet({ petId: "7" }); // expect: TS2322
	await createPet({ body: { name: "Rex", colour: "red" } }); // expect: TS2353
	await createPet({ body: { id: 1, name: "Rex" } }); // expect: TS2353
	await getPet({}); // expect: TS2345
	await listPets({ status: "lost" }); // expect: TS2322
	await listPets({}, { baseURL: "http://x" }); // expect: TS2561
	await listPets({}, { auth: { Token: "x" } }); // expect: TS2353
	const pet: Pet = r.body; // expect: TS2322
	if (r.status === 404)
		console.log(r.body.name); // expect: TS2339
	if (r.status === 418) // expect: TS2367
		console.log(r);
	if (r.status === 200)
		r.body.id = 2; // expect: TS2540
	await conduit.createUser({ body: { user: { username: "a", password: "p" } } }); // expect: TS2741
	console.log(pet);
}
