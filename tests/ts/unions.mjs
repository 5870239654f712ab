// Runs the TypeScript client's union checks (see unions.sh); TAP.
import { $check_Payment as pay, $check_Contact as contact } from "./u.js";

const cases = [
	// [name, check, value, expected issues as "pointer code" lines]
	["card branch", pay, { kind: "card", number: "1234567812345678" }, []],
	["voucher branch", pay, { kind: "voucher", code: "X" }, []],
	["gift-card branch (same model)", pay, { kind: "gift-card", code: "X" }, []],
	["unknown discriminator", pay, { kind: "cash", code: "X" }, ["/kind not_in_enum"]],
	["missing discriminator", pay, { code: "X" }, ["/kind missing"]],
	["discriminator not a string", pay, { kind: 1 }, ["/kind not_in_enum"]],
	["branch checked", pay, { kind: "card", number: "1" }, ["/number too_short"]],
	["not an object", pay, [], [" wrong_type"]],
	["model branch", contact, { id: 1, "e-mail": "a@b.example" }, []],
	["string branch", contact, "a@b.example", []],
	["array branch", contact, ["a"], []],
	["map branch", contact, { a: 1 }, []],
	["no branch matches", contact, 5, [" wrong_type", " wrong_type", " wrong_type", " wrong_type"]],
	["ambiguous", contact, { id: 1 }, [" invalid"]],
];
console.log(`1..${cases.length + 3}`);
let n = 0;
const run = (check, v) => { const e = []; check(v, "", e); return e; };
for (const [name, check, v, want] of cases) {
	const got = run(check, v).map((i) => `${i.pointer} ${i.code}`);
	const ok = JSON.stringify(got) === JSON.stringify(want);
	console.log(`${ok ? "ok" : "not ok"} ${++n} - ${name}`);
	if (!ok)
		console.log(`# got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}
const msg = (check, v) => run(check, v).map((i) => i.message).join(" | ");
const expect = (name, text, re) => {
	const ok = re.test(text);
	console.log(`${ok ? "ok" : "not ok"} ${++n} - ${name}`);
	if (!ok)
		console.log(`# message: ${text}`);
};
expect("a bad discriminator names the valid values", msg(pay, { kind: "cash" }), /"cash" is not one of card, voucher, gift-card/);
expect("no match says which branch was tried", msg(contact, 5), /^as Owner: .* \| as string: .* \| as string\[\]: .* \| as \{ \[key: string\]: number \}: /);
expect("ambiguity names the branches", msg(contact, { id: 1 }), /ambiguous: the value matches Owner, \{ \[key: string\]: number \}/);
