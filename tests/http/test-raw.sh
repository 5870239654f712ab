#!/bin/sh
# Raw replies (`-> 200 text as "text/csv" download "report.csv"`, `-> 200
# bytes as "image/png"`) on the test API's server: the handler's bytes as
# they are, under the declared Content-Type, with Content-Disposition as the
# document says (RFC 6266; filename* for a name that is not ASCII), and
# --strict-responses accepting them.
. "$top_srcdir/tests/http/server.sh"
d="$top_builddir/tests/http/test-raw.d"
mkdir -p "$d"
get() {
	rm -f "$d/c.b"
	curl -s -D "$d/c.h.raw" -o "$d/c.b" "http://127.0.0.1:$port$1"
	touch "$d/c.b"
	tr -d '\r' <"$d/c.h.raw" >"$d/c.h"
}
hdr() { sed -n "s/^$1: //Ip" "$d/c.h"; }
status() { head -n 1 "$d/c.h" | cut -d' ' -f2; }

start_server "$d/raw.log" "$top_builddir/tests/http/testapi-server" --strict-responses
check "server starts" test -n "$port"
get /t/reports/7
check "a text reply: 200" test "$(status)" = 200
check "as text/csv in UTF-8" test "$(hdr content-type)" = "text/csv; charset=utf-8"
check "for download as report.csv" test "$(hdr content-disposition)" = 'attachment; filename="report.csv"'
printf 'id,name\n7,caf\303\251\n' >"$d/want.csv"
check "the handler's bytes, as they are" cmp -s "$d/c.b" "$d/want.csv"
get /t/reports/101
check "its 404 is the error shape" sh -c "test \"\$(head -n 1 '$d/c.h' | cut -d' ' -f2)\" = 404 && grep -qi '^content-type: application/problem+json' '$d/c.h'"
get /t/images/5
check "a bytes reply: 200" test "$(status)" = 200
check "as image/png" test "$(hdr content-type)" = "image/png"
check "a name that is not ASCII: filename* in UTF-8 and an ASCII fallback" \
	test "$(hdr content-disposition)" = "attachment; filename=\"bild-_.png\"; filename*=UTF-8''bild-%C3%A9.png"
printf '\211PNG\r\n\032\n\000\000\005' >"$d/want.png"
check "the bytes, NULs included" cmp -s "$d/c.b" "$d/want.png"
curl -s -o "$d/doc.json" "http://127.0.0.1:$port/openapi.json"
check "the document lists text/csv for the 200" \
	test "$(jq -c '.paths["/reports/{id}"].get.responses["200"].content' "$d/doc.json")" = '{"text/csv":{"schema":{"type":"string"}}}'
check "and image/png as binary" \
	test "$(jq -c '.paths["/images/{id}"].get.responses["200"].content' "$d/doc.json")" = '{"image/png":{"schema":{"type":"string","contentMediaType":"image/png"}}}'
check "and the Content-Disposition it sends" \
	test "$(jq -r '.paths["/reports/{id}"].get.responses["200"].headers["Content-Disposition"].schema.const' "$d/doc.json")" = 'attachment; filename="report.csv"'
kill "$pid" && wait "$pid"
check "no strict-responses complaint" sh -c "! grep -q 'strict-responses:' '$d/raw.log'"
echo "1..$n"
[ "$fails" -eq 0 ]
