# The normalisations of the round trip (docs/openapi.md, "Importing an
# OpenAPI document"), applied to `apic check --dump-ast` without locations:
# - declarations (security schemes, enums, models) sorted by name: the
#   document's components are sorted, the schema's order is not in it;
# - the service's doc comment: the document has one description, written
#   as `description`; a doc comment beside a `description` is not in it;
# - a response description that is the status's reason phrase: left out
#   (apic writes the reason phrase when there is none);
# - `import` lines: the imported schema is one file;
# - `cprefix`: not in the document (apic import takes the file's name);
# - `server "/" "the server that serves this document"`: apic writes that
#   server whenever no server is relative, so it is not imported;
# - a response of 400 or more typed with the `errors` model: it reads as
#   an error response (the same body in the document), so it comes back
#   as one, without the type.
function flush() {
	if (blk == "")
		return
	if (kind == "decl")
		decls[++nd] = blk
	else
		rest = rest blk
	blk = ""
}
BEGIN {
	split("200 OK|201 Created|202 Accepted|204 No Content|304 Not Modified|400 Bad Request|401 Unauthorized|403 Forbidden|404 Not Found|405 Method Not Allowed|409 Conflict|410 Gone|412 Precondition Failed|413 Content Too Large|415 Unsupported Media Type|422 Unprocessable Content|429 Too Many Requests|500 Internal Server Error|501 Not Implemented|503 Service Unavailable|504 Gateway Timeout", r, "|")
	for (i in r) { c = substr(r[i], 1, 3); reason[c] = substr(r[i], 5) }
}
/^  (security|enum|model) / { flush(); kind = "decl"; hdr = $0 }
/^  (service|op) / { flush(); kind = "other" }
/^    response [0-9][0-9][0-9]/ {
	for (c in reason) {
		q = "\"" reason[c] "\""
		if ($2 == c && substr($0, length($0) - length(q) + 1) == q)
			$0 = substr($0, 1, length($0) - length(q) - 1)
	}
}
/^  import / { next }
/^    server "\/" "the server that serves this document"$/ { next }
/^  service / { sub(/ cprefix=[^ ]*/, "") }
/^    errors / { errmodel = $2 }
/^    response [4-5][0-9][0-9] / && errmodel != "" && $3 == errmodel {
	k = index($0, " " errmodel)
	$0 = substr($0, 1, k - 1) substr($0, k + length(errmodel) + 1)
}
/^  service / { insvc = 1 }
/^  [a-z]/ && !/^  service / { insvc = 0 }
insvc && /^    doc / { svcdoc = substr($0, 9); next }
insvc && /^    description / { svcdesc = substr($0, 17); next }
{ blk = blk $0 "\n" }
END {
	flush()
	d = svcdesc != "" ? svcdesc : svcdoc
	if (d != "")
		sub(/\n/, "\n    description " d "\n", rest)
	n = nd
	for (i = 2; i <= n; i++)	# insertion sort (POSIX awk has no asort)
		for (j = i; j > 1 && decls[j - 1] > decls[j]; j--) {
			t = decls[j]; decls[j] = decls[j - 1]; decls[j - 1] = t
		}
	printf "%s", rest
	for (i = 1; i <= n; i++)
		printf "%s", decls[i]
}
