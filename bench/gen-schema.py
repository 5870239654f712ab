#!/usr/bin/env python3
"""Writes a large apic schema to stdout for front-end scale tests.

usage: gen-schema.py N   -> N models, N/4 enums, 2.5 N operations
(get by id for every model; put by id and a list for half; create and
delete for a quarter each),
with constrained fields, enum fields, references to earlier models and
arrays, so name lookup, routes and defaults are all exercised.
"""
import sys


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.stderr.write("usage: gen-schema.py N\n")
        return 2
    n = int(sys.argv[1])
    out = []
    w = out.append
    w('service "Scale %d" version "1.0.0" {\n    basepath "/api"\n    auth Bearer\n'
      '    errors Problem at "/errors"\n}\n' % n)
    w('security Bearer = bearer format "JWT"\n')
    w('model Problem {\n    errors: [string]\n}\n')
    nenums = max(1, n // 4)
    for e in range(nenums):
        w('enum Kind%d { alpha%d, beta%d, gamma%d, delta }\n' % (e, e, e, e))
    for m in range(n):
        w('/// Model number %d.\nmodel Model%d {\n' % (m, m))
        w('    id: int64 (min 1) readonly\n')
        w('    name: string (len 1..64, pattern "^[a-z][a-z0-9_]*$") = "m%d"\n' % m)
        w('    count?: int32 (0..1000) = 10\n')
        w('    ratio?: number (xmin 0, max 1)\n')
        w('    kind: Kind%d = delta\n' % (m % nenums))
        w('    tags: [string (maxlen 32)] (items 0..16, unique) = []\n')
        w('    attrs?: map<string (maxlen 64)> (maxprops 8)\n')
        if m > 0:
            w('    parent?: Model%d\n' % (m - 1))
            w('    siblings?: [Model%d] (maxitems 4)\n' % (m // 2))
        w('}\n')
    for m in range(n):
        r = '/model%d' % m
        w('get %s/{id} {\n    path id: int64 (min 1)\n    -> 200 Model%d\n    -> 404 Problem\n}\n'
          % (r, m))
        if m % 2 == 0:
            w('put %s/{id} {\n    path id: int64 (min 1)\n    body Model%d\n    -> 200 Model%d\n'
              '    -> 404 Problem\n}\n' % (r, m, m))
            w('get %s {\n    auth none\n    query limit: int32 (1..100) = 20\n'
              '    query kind?: Kind%d\n    -> 200 [Model%d]\n}\n' % (r, m % nenums, m))
        if m % 4 == 0:
            w('post %s {\n    body Model%d\n    -> 201 Model%d\n    -> 409 Problem\n}\n'
              % (r, m, m))
        if m % 4 == 1:
            w('delete %s/{id} {\n    path id: int64 (min 1)\n    -> 204\n}\n' % r)
    sys.stdout.write(''.join(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
