// Patterns as JSON Schema users write them, and strings around them, with
// the verdict of ECMA-262 (`new RegExp(p, "u").test(s)`, what ajv does).
// Prints one JSON array per line: [pattern, string, matches].
const patterns = [
  '^[a-z]+$', '^[A-Za-z0-9_-]{3,16}$', '^\\S+$', '^\\s*$', '\\s', '^.+$', '^.*$', 'a.c',
  '^\\d{3}-\\d{4}$', '^\\w+$', '\\bword\\b', '^[^<>]*$', '^\\p{L}+$', '^\\p{Lu}', '\\p{N}',
  '^[\\u00e0-\\u00ff]+$', '^\\u{1F600}$', '^(?:[01]\\d|2[0-3]):[0-5]\\d$', '^[^]$', '[]',
  '^(a|b)*c$', '^[\\s\\d]+$', '^#[0-9a-fA-F]{6}$', '^[^\\s@]+@[^\\s@]+$', 'x$', '^$',
  '^\\P{L}*$', '(?<year>\\d{4})-(?<m>\\d\\d)', '^(?!admin$).*', '(?<=\\$)\\d+', '^[.]$', '^\\.$',
];
const pieces = ['', 'a', 'Z', '0', '9', '_', '-', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2028',
  '\u2029', '\u0085', '\ufeff', '\u3000', 'é', 'É', 'ß', '日', '😀', '٣', '<', '>', '@', '.', ':', '$',
  'word', 'admin', '2024', '#', 'abc', '12', 'c', 'x'];
let seed = 4242; const rnd = n => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const out = [];
for (const p of patterns) {
  const re = new RegExp(p, 'u');
  const seen = new Set();
  for (let k = 0; k < 300; k++) {
    let s = '';
    for (let j = rnd(6); j >= 0; j--) s += pieces[rnd(pieces.length)];
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(JSON.stringify([p, s, re.test(s)]));
  }
}
console.log(out.join('\n'));
