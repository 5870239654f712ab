# compiler/ts_runtime.ts -> ts_runtime.h: its lines as C strings, each
# "// @section NAME" line as "@NAME" (the emitter copies the sections it
# needs), the comment lines before the first section left out.
BEGIN {
	print "/* Generated from compiler/ts_runtime.ts by compiler/ts_runtime.awk: do not edit. */"
	print "static const char *const ts_runtime_lines[] = {"
	on = 0
}
/^\/\/ @section / { on = 1; printf "\t\"@%s\",\n", $3; next }
!on { next }
# character by character: gsub's handling of backslashes differs among awks
{
	out = ""
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (c == "\\" || c == "\"")
			out = out "\\" c
		else if (c == "\t")
			out = out "\\t"
		else
			out = out c
	}
	printf "\t\"%s\",\n", out
}
END { print "\tNULL,"; print "};" }
