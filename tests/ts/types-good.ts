// Compiles (tests/ts/types.sh): the petstore and Conduit clients used as
// documented, each result narrowed by its status; the switch with `never`
// in its default also says that the union lists exactly these statuses.
import {
	createClient, createPet, getPet, listPets, petEvents, deletePet, ApiError,
	type ClientOptions, type GetPetResult, type Pet, type PetInput, type PetEventType, type Problem,
} from "./petstore.client";
import * as conduit from "./conduit.client";

const options: ClientOptions = { baseUrl: "http://127.0.0.1:8080/v1", validate: true, auth: { Bearer: () => "t" } };

export function describe(r: GetPetResult): string {
	switch (r.status) {
	case 200:
		return r.body.name + (r.body.tag ?? "");
	case 404:
		return r.body.detail;
	case 413:
	case 422:
	case 500:
	case 501:
		return r.body.title + (r.body.errors ?? []).map((v) => v.code).join();
	default: {
		const never: never = r;
		return never;
	}
	}
}

export async function use(): Promise<number> {
	const input: PetInput = { name: "Rex", status: "pending" };
	const made = await createPet({ body: input }, options);
	if (made.status === 201) {
		const pet: Pet = made.body;
		const where: string = made.headers.Location;
		console.log(pet.id, where);
	} else if (made.status === 409) {
		const problem: Problem = made.body;
		console.log(problem.detail);
	}
	const page = await listPets({ limit: 10, status: "sold" }, options);
	let total = 0;
	if (page.status === 200)
		total = page.headers["X-Total-Count"] + page.body.length;
	console.log(describe(await getPet({ petId: 1 })));
	const api = createClient(options);
	const gone = await api.deletePet({ petId: 1 }, { signal: new AbortController().signal });
	if (gone.status === 204) {
		const nothing: undefined = gone.body;
		console.log(nothing);
	}
	await deletePet({ petId: 2 }, { ...options, fetch: (url, init) => fetch(url, init) });
	const events = await petEvents();
	if (events.status === 200)
		for await (const ev of events.body) {
			const type: PetEventType = ev.data.type;
			console.log(ev.id, type, ev.data.pet.id);
			break;
		}
	try {
		await getPet({ petId: 3 }, options);
	} catch (e) {
		if (e instanceof ApiError && e.kind === "invalid")
			console.log(e.status, e.violations.map((v) => v.pointer + " " + v.code));
	}
	const c = conduit.createClient({ baseUrl: "http://127.0.0.1:3000/api", auth: { Token: "jwt" } });
	const user = await c.createUser({ body: { user: { username: "a", email: "a@b.c", password: "p" } } });
	if (user.status === 201)
		console.log(user.body.user.token);
	else if (user.status === 422)
		console.log(user.body.errors.body.join("; "));
	return total;
}
