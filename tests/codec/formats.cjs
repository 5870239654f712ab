// Candidate strings for each format: seeds and random edits of them, with
// ajv-formats' verdict ("full" mode, the formats apic's OpenAPI uses).
// Prints one JSON array per line: [format, string, valid].
const {fullFormats} = require('ajv-formats/dist/formats');
const seeds = {
 email: ['a@b.co','A.B+C@EXAMPLE.COM','x@y','a..b@c.de','a@-b.de','"q"@b.co','a@b.c-d.e','_@1.2','a@b_c.de',"!#$%&'*+/=?^_`{|}~-@x.yz"],
 uuid: ['123e4567-e89b-12d3-a456-426614174000','urn:uuid:123E4567-E89B-12D3-A456-426614174000','00000000-0000-0000-0000-000000000000'],
 date: ['2024-02-29','1900-02-29','2000-02-29','2024-04-31','2024-12-31','0000-01-01','9999-12-31'],
 'date-time': ['2024-01-01T00:00:00Z','2024-01-01t00:00:00.5z','2024-01-01 23:59:60Z','2024-01-01T00:59:60+01:00','2024-01-01T22:59:60-01:00','2024-01-01T00:00:00+0130','2024-01-01T00:00:00+01','2024-06-30T23:59:60.999Z'],
 ipv4: ['0.0.0.0','255.255.255.255','192.168.0.1','01.2.3.4','1.2.3','1.2.3.4.5','256.1.1.1','1.2.3.04','1.2.3.0x4',' 1.2.3.4'],
 ipv6: ['::','::1','1::','1:2:3:4:5:6:7:8','1:2:3:4:5:6:7::','::ffff:1.2.3.4','::1.2.3.04','fe80::1%eth0','ABCD:EF01::1','1:2:3:4:5:6:1.2.3.4','1::2::3','12345::','1:2:3:4:5:6:7:8:9',':1::','1:::2'],
 hostname: ['a','example.com','example.com.','a-b.c','-a.b','a-.b','a..b','xn--80ak6aa92e.com','1.2.3.4','a_b.c','a'.repeat(63),'a'.repeat(64),('a'.repeat(63)+'.').repeat(3)+'a'.repeat(61),('a'.repeat(63)+'.').repeat(3)+'a'.repeat(62)],
 'uri-reference': ['','#f','?q','/a/b','a/b','//host/p','../x','http://example.com','a b','%zz','mailto:a@b.c','http://[::1]/','"q"','a:b','x#y#z'],
 uri: ['http://example.com','https://a.b/c?d=e#f','mailto:a@b.c','urn:isbn:0451450523','http://[::1]:8080/','http://[v1.x]/','ftp://user:pw@host:21/p;x','http://192.168.0.1/','a:b','http://x/%zz','file:///etc/passwd','http://a b'],
};
const chars = ['', 'a','Z','0','9','-','.',':','@','/','T','t',' ','\t','\n','+','%','[',']','é','\u00a0','\u2028','z','_','?','#','"','\\'];
let seed = 12345; const rnd = n => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const two = n => String(n).padStart(2, '0');
const hex = '0123456789abcdefABCDEF';
const rhex = n => Array.from({length: n}, () => hex[rnd(hex.length)]).join('');
/* Well-formed shapes with numbers around every bound (leap years, month
 * lengths, 23:59:60 in every zone offset) */
for (let k = 0; k < 1500; k++) {
  const y = String([1900, 2000, 2023, 2024, 2100, rnd(10000)][rnd(6)]).padStart(4, '0');
  const d = `${y}-${two(rnd(14))}-${two(rnd(33))}`;
  seeds.date.push(d);
  const tz = ['Z', 'z', '', `+${two(rnd(26))}:${two(rnd(62))}`, `-${two(rnd(26))}${two(rnd(62))}`, `+${two(rnd(25))}`][rnd(6)];
  const frac = ['', '.5', '.123456789', '.'][rnd(4)];
  const t = `${two(rnd(2) ? 23 : rnd(26))}:${two(rnd(2) ? 59 : rnd(62))}:${two(rnd(2) ? 60 : rnd(62))}${frac}${tz}`;
  seeds['date-time'].push(`${d}${['T', 't', ' ', '\u00a0', '_'][rnd(5)]}${t}`);
  seeds.uuid.push(`${rnd(4) ? '' : 'urn:uuid:'}${rhex(8)}-${rhex(4)}-${rhex(4)}-${rhex(4)}-${rhex(12 + rnd(2) - rnd(2))}`);
}
const out = [];
for (const [fmt, list] of Object.entries(seeds)) {
  const f = fullFormats[fmt]; const validate = typeof f === 'function' ? f : (f.validate || f);
  const test = s => validate instanceof RegExp ? validate.test(s) : validate(s);
  const set = new Set(list);
  for (const s of list) for (let k = 0; k < (list.length > 100 ? 2 : 400); k++) {
    let t = s; const ops = 1 + rnd(3);
    for (let o = 0; o < ops; o++) {
      const i = rnd(t.length + 1), c = chars[rnd(chars.length)];
      const m = rnd(3);
      t = m === 0 ? t.slice(0,i) + c + t.slice(i) : m === 1 ? t.slice(0,i) + t.slice(i+1) : t.slice(0,i) + c + t.slice(i+1);
    }
    set.add(t);
  }
  for (const s of set) out.push(JSON.stringify([fmt, s, !!test(s)]));
}
console.log(out.join('\n'));
