#!/usr/bin/env python3
"""Renders the neutral IR of ../shared/bench/schema-scale/gen.py as an apic
schema with the same API, for bench/schema-scale.sh.

usage: schema-scale-apic.py IR.json [OUT.apic]     (default: stdout)
       schema-scale-apic.py --compare IR.json OPENAPI.json

Every construct of IR version 1 is rendered: enums, models (fields,
optional, constraints), operations (method, path, path and query
parameters, JSON body, every response with its body or none) and the docs.
The model "Error" becomes the service's error shape when it has an array of
strings to hold the runtime's messages and no other required field (the
runtime's own error bodies carry only that array); otherwise the API keeps
apic's default shape, RFC 9457 problem details, whose schemas Problem and
Violation the document adds to the IR's. Anything the script does not
know (a key, a type kind, a constraint, a name apic cannot spell) is an
error naming it: nothing is dropped silently.

--compare checks that the OpenAPI document apic made of the rendering has
the IR's paths, operations (by operationId) and schemas (besides apic's own
Problem and Violation), and prints the counts; it fails when they differ.
"""
import json
import re
import sys

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Names apic resolves as built-in types, which a model or enum cannot take.
BUILTIN_TYPES = {"string", "bool", "int32", "int64", "number", "map"}
SCALARS = {"string": "string", "int32": "int32", "int64": "int64",
           "float64": "number", "bool": "bool"}
METHODS = {"get", "post", "put", "patch", "delete"}
# The IR's constraint names, in rendering order, with apic's spelling.
CONSTRAINTS = {
    "string": (("minLength", "minlen"), ("maxLength", "maxlen"),
               ("pattern", "pattern"), ("format", "format")),
    "int32": (("minimum", "min"), ("maximum", "max")),
    "int64": (("minimum", "min"), ("maximum", "max")),
    "float64": (("minimum", "min"), ("maximum", "max")),
    "array": (("minItems", "minitems"), ("maxItems", "maxitems")),
}
FORMATS = {"email", "uri", "uuid"}


class IRError(Exception):
    pass


def keys(obj, where, required, optional=()):
    """Fails on a missing key or on one this renderer does not know."""
    if not isinstance(obj, dict):
        raise IRError(f"{where}: expected an object")
    missing = [k for k in required if k not in obj]
    unknown = [k for k in obj if k not in required and k not in optional]
    if missing or unknown:
        raise IRError(f"{where}: missing keys {missing}, unknown keys {unknown}")


def ident(name, where):
    if not isinstance(name, str) or not IDENT.match(name):
        raise IRError(f"{where}: {name!r} is not a name apic can spell")
    return name


def string(s):
    # JSON string escapes are apic's (apic(5), Literals).
    return json.dumps(s, ensure_ascii=False)


def number(v, where):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise IRError(f"{where}: {v!r} is not a number")
    return str(v) if isinstance(v, int) else repr(v)


def doc(text, indent):
    if not text:
        return ""
    return "".join(f"{indent}/// {line}\n" for line in text.split("\n"))


class Renderer:
    def __init__(self, ir):
        keys(ir, "IR", ("ir_version", "title", "enums", "models", "operations"),
             ("seed", "refs"))
        if ir["ir_version"] != 1:
            raise IRError(f"IR version {ir['ir_version']!r} is not 1")
        self.ir = ir
        self.names = {}
        for kind in ("enums", "models"):
            for i, d in enumerate(ir[kind]):
                where = f"{kind}[{i}]"
                keys(d, where, ("name", "fields" if kind == "models" else "values"),
                     ("doc",))
                name = ident(d["name"], where)
                if name in BUILTIN_TYPES or name in self.names:
                    raise IRError(f"{where}: the name {name!r} is taken")
                self.names[name] = kind

    def type(self, ty, where, constraints):
        """The apic spelling of a type with its constraints attached."""
        keys(ty, where, ("kind",), ("ref", "items"))
        k = ty["kind"]
        if k in SCALARS:
            keys(ty, where, ("kind",))
            base = SCALARS[k]
        elif k in ("enum", "model"):
            keys(ty, where, ("kind", "ref"))
            if self.names.get(ty["ref"]) != k + "s":
                raise IRError(f"{where}: no {k} named {ty['ref']!r}")
            base = ty["ref"]
        elif k == "array":
            keys(ty, where, ("kind", "items"))
            base = "[" + self.type(ty["items"], where + ".items", {}) + "]"
        else:
            raise IRError(f"{where}: unknown type kind {k!r}")
        return base + self.constraints(k, constraints, where)

    def constraints(self, kind, c, where):
        if not isinstance(c, dict):
            raise IRError(f"{where}: constraints must be an object")
        known = CONSTRAINTS.get(kind, ())
        unknown = [key for key in c if key not in dict(known)]
        if unknown:
            raise IRError(f"{where}: constraints {unknown} do not apply to {kind}")
        out = []
        for key, word in known:
            if key not in c:
                continue
            v = c[key]
            if key == "pattern":
                if not isinstance(v, str):
                    raise IRError(f"{where}: pattern {v!r} is not a string")
                out.append(f"pattern {string(v)}")
            elif key == "format":
                if v not in FORMATS:
                    raise IRError(f"{where}: unknown format {v!r}")
                out.append(f"format {v}")
            else:
                out.append(f"{word} {number(v, where + '.' + key)}")
        return f" ({', '.join(out)})" if out else ""

    def field(self, f, where):
        keys(f, where, ("name", "type", "optional"), ("constraints",))
        q = "?" if self.flag(f["optional"], where) else ""
        ty = self.type(f["type"], where, f.get("constraints", {}))
        return f"{ident(f['name'], where)}{q}: {ty}"

    @staticmethod
    def flag(v, where):
        if not isinstance(v, bool):
            raise IRError(f"{where}: optional must be true or false")
        return v

    def error_pointer(self):
        """The Error model's first array of strings, for `errors ... at`;
        None when Error has another required field (the server's error
        bodies hold only that array, so apic refuses the shape): the API
        then keeps the default error shape, RFC 9457 problem details."""
        err = next((m for m in self.ir["models"] if m["name"] == "Error"), None)
        for f in err["fields"] if err else ():
            t = f["type"]
            if t["kind"] == "array" and t.get("items", {}).get("kind") == "string":
                if any(not g["optional"] for g in err["fields"] if g is not f):
                    return None
                return "/" + f["name"]
        return None

    def service(self):
        title = self.ir["title"]
        if not isinstance(title, str) or not title:
            raise IRError("IR: the title must be a non-empty string")
        # The IR has no version; apic requires one.
        w = [f"service {string(title)} version \"1.0.0\" {{\n"]
        ptr = self.error_pointer()
        if ptr:
            w.append(f"    errors Error at {string(ptr)}\n")
        w.append("}\n\n")
        return "".join(w)

    def enum(self, e, where):
        vals = e["values"]
        if not isinstance(vals, list) or not vals:
            raise IRError(f"{where}: values must be a non-empty list")
        members = []
        for v in vals:
            if not isinstance(v, str):
                raise IRError(f"{where}: value {v!r} is not a string")
            members.append(v if IDENT.match(v) else string(v))
        return f"{doc(e.get('doc'), '')}enum {e['name']} {{ {', '.join(members)} }}\n"

    def model(self, m, where):
        w = [doc(m.get("doc"), ""), f"model {m['name']} {{\n"]
        for j, f in enumerate(m["fields"]):
            w.append(f"    {self.field(f, f'{where}.fields[{j}]')}\n")
        w.append("}\n")
        return "".join(w)

    def operation(self, o, where):
        keys(o, where, ("id", "group", "name", "method", "path", "params", "body",
                        "responses"), ("doc",))
        if o["method"] not in METHODS:
            raise IRError(f"{where}: unknown method {o['method']!r}")
        path = o["path"]
        if not isinstance(path, str) or not path.startswith("/") or '"' in path:
            raise IRError(f"{where}: bad path {path!r}")
        # `name` is the operation's short name within its group: the group
        # becomes the tag and the id the operationId, which together carry it.
        ident(o["name"], where + ".name")
        w = [doc(o.get("doc"), ""), f"{o['method']} {path} {{\n",
             f"    operation {ident(o['id'], where + '.id')}\n",
             f"    tags {ident(o['group'], where + '.group')}\n"]
        for j, p in enumerate(o["params"]):
            pw = f"{where}.params[{j}]"
            keys(p, pw, ("name", "in", "type", "optional"), ("constraints",))
            if p["in"] not in ("path", "query"):
                raise IRError(f"{pw}: unknown location {p['in']!r}")
            if p["in"] == "path" and "{" + p["name"] + "}" not in path:
                raise IRError(f"{pw}: {{{p['name']}}} is not in the path")
            field = self.field({k: v for k, v in p.items() if k != "in"}, pw)
            w.append(f"    {p['in']} {field}\n")
        if o["body"] is not None:
            keys(o["body"], where + ".body", ("type",))
            w.append(f"    body {self.type(o['body']['type'], where + '.body', {})}\n")
        if not o["responses"]:
            raise IRError(f"{where}: no responses")
        for j, r in enumerate(o["responses"]):
            rw = f"{where}.responses[{j}]"
            keys(r, rw, ("status", "body"))
            st = r["status"]
            if isinstance(st, bool) or not isinstance(st, int):
                raise IRError(f"{rw}: status {st!r} is not an integer")
            body = "" if r["body"] is None else " " + self.type(r["body"], rw, {})
            w.append(f"    -> {st}{body}\n")
        w.append("}\n")
        return "".join(w)

    def render(self):
        ir = self.ir
        w = [self.enum(e, f"enums[{i}]") for i, e in enumerate(ir["enums"])]
        w.append("\n")
        w += [self.model(m, f"models[{i}]") + "\n" for i, m in enumerate(ir["models"])]
        w += [self.operation(o, f"operations[{i}]") + "\n"
              for i, o in enumerate(ir["operations"])]
        # The service last: its error shape reads models checked above.
        head = "// Generated by schema-scale-apic.py from the neutral IR.\n"
        return head + self.service() + "".join(w)


def load(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def compare(ir, doc):
    """Prints the counts; returns whether the document has the IR's API."""
    want_paths = {o["path"] for o in ir["operations"]}
    want_ops = {(o["path"], o["method"], o["id"]) for o in ir["operations"]}
    want_schemas = {d["name"] for d in ir["models"] + ir["enums"]}
    paths = doc.get("paths", {})
    ops = {(p, m, o.get("operationId")) for p, item in paths.items()
           for m, o in item.items() if m in METHODS}
    # apic's problem details, unless the IR has schemas of those names
    own = {"Problem", "Violation"} - want_schemas
    schemas = set(doc.get("components", {}).get("schemas", {})) - own
    print(f"paths {len(paths)}/{len(want_paths)} operations {len(ops)}/{len(want_ops)} "
          f"schemas {len(schemas)}/{len(want_schemas)} (OpenAPI/IR)")
    return set(paths) == want_paths and ops == want_ops and schemas == want_schemas


def main(argv):
    if len(argv) == 3 and argv[0] == "--compare":
        return 0 if compare(load(argv[1]), load(argv[2])) else 1
    if len(argv) not in (1, 2):
        sys.stderr.write("usage: schema-scale-apic.py IR.json [OUT.apic]\n"
                         "       schema-scale-apic.py --compare IR.json OPENAPI.json\n")
        return 2
    ir = load(argv[0])
    try:
        text = Renderer(ir).render()
    except IRError as e:
        sys.stderr.write(f"schema-scale-apic.py: {argv[0]}: {e}\n")
        return 1
    if len(argv) == 2:
        with open(argv[1], "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
