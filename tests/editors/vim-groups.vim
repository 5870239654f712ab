" Writes, for each "LINE BYTECOL ..." line of $POS, "LINE BYTECOL GROUP"
" (the syntax group at that place of the current buffer) to $OUT.
let s:out = []
for s:l in readfile($POS)
  let s:f = split(s:l)
  call add(s:out, s:f[0] . ' ' . s:f[1] . ' ' . synIDattr(synID(str2nr(s:f[0]), str2nr(s:f[1]), 1), 'name'))
endfor
call writefile(s:out, $OUT)
qa!
