" Vim syntax file for apic schemas (apic(5)).
" Install: copy syntax/apic.vim and ftdetect/apic.vim under ~/.vim (or
" add this directory to 'runtimepath').
if exists("b:current_syntax")
  finish
endif

" Identifiers may hold '-' (a-b is one name).
syntax iskeyword @,48-57,_,-

" Matches, not keywords: a later match wins at the same place, so that a
" name before ':' (apicName, below) is not taken for a keyword.
syntax match apicDecl "\<\(service\|version\|model\|enum\|union\|security\|import\)\>"
syntax match apicMethod "\<\(get\|put\|post\|delete\|patch\|head\|options\)\>"
syntax match apicKeyword "\<\(operation\|summary\|description\|tags\|deprecated\|auth\|body\|maxbody\|cache\|etag\|receive\|send\|async\|deadline\|query\|path\|header\|cookie\)\>"
syntax match apicKeyword "\<\(stream\|server\|basepath\|errors\|at\|cprefix\|none\|optional\|bearer\|apikey\|basic\|prefix\|open\|nullable\|readonly\|writeonly\|example\|as\|download\)\>"
syntax match apicConstraint "\<\(min\|max\|xmin\|xmax\|len\|minlen\|maxlen\|pattern\|format\|items\|minitems\|maxitems\|unique\|minprops\|maxprops\)\>"
syntax match apicBoolean "\<\(true\|false\|null\)\>"
syntax match apicType "\<\(string\|bool\|int32\|int64\|number\|map\)\>"

" A name followed by ':' or '?:' is a field, parameter or key, even when it
" is spelt like a keyword.
syntax match apicName "\<[A-Za-z_][A-Za-z0-9_-]*\ze\s*?\=\s*:"
syntax match apicNumber "\<-\=\(0\|[1-9][0-9]*\)\(\.[0-9]\+\)\=\([eE][+-]\=[0-9]\+\)\=\>"
syntax match apicNumber "-\(0\|[1-9][0-9]*\)\(\.[0-9]\+\)\=\([eE][+-]\=[0-9]\+\)\=\>"
syntax match apicOperator "->\|\.\.\|=\|?"
syntax match apicPathParam "{[^{} \t]*}" contained
syntax match apicPath "\(\<\(get\|put\|post\|delete\|patch\|head\|options\)\s\+\)\@<=/\([A-Za-z0-9._~!$&'*+;=:@%/-]\|{[^{} \t]*}\)*" contains=apicPathParam
syntax match apicEscape "\\\([\"\\/bfnrt]\|u\x\{4}\)" contained
syntax region apicString start=+"+ skip=+\\\\\|\\"+ end=+"\|$+ contains=apicEscape oneline
syntax match apicComment "//.*$" contains=@Spell
syntax match apicDocComment "///.*$" contains=@Spell

highlight default link apicDecl Structure
highlight default link apicMethod Statement
highlight default link apicKeyword Keyword
highlight default link apicConstraint Keyword
highlight default link apicBoolean Boolean
highlight default link apicType Type
highlight default link apicName Identifier
highlight default link apicNumber Number
highlight default link apicOperator Operator
highlight default link apicPath String
highlight default link apicPathParam Special
highlight default link apicEscape SpecialChar
highlight default link apicString String
highlight default link apicComment Comment
highlight default link apicDocComment SpecialComment

let b:current_syntax = "apic"
