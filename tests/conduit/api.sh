#!/bin/sh
# What the Postman collection does not check, against a real Conduit server
# on a fresh database: ownership (403), bad tokens (401), tokens made by an
# independent HS256 implementation (node's crypto), 404s, duplicates (422),
# pagination bounds, filters and the feed, and text full of SQL and LIKE
# metacharacters and non-ASCII characters stored and returned verbatim.
set -u
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/conduit/lib.sh"

if ! start_server; then
	echo "1..1"
	echo "not ok 1 - the Conduit server did not start"
	exit 1
fi

# Registers USER (email USER@example.org, password pw-USER); prints the token.
register() {
	req POST /users "$(jq -nc --arg u "$1" '{user: {username: $u, email: ($u + "@example.org"), password: ("pw-" + $u)}}')"
	[ "$status" = 201 ] || { diag "register $1: $status $body"; return 1; }
	jb .user.token
}
# new_article TOKEN TITLE [TAG...]: prints the slug.
new_article() {
	local tok=$1 title=$2
	shift 2
	req POST /articles "$(jq -nc --arg t "$title" '{article: {title: $t, description: "d", body: "b", tagList: $ARGS.positional}}' --args "$@")" "$tok"
	[ "$status" = 201 ] || { diag "create $title: $status $body"; return 1; }
	jb .article.slug
}
errors() { jb '.errors.body | join("; ")'; }

alice=$(register alice)
bob=$(register bob)
carol=$(register carol)

# ---- users ----------------------------------------------------------------
req POST /users '{"user":{"username":"alice","email":"other@example.org","password":"x"}}'
is "$status $(errors)" "422 username has already been taken" "duplicate username: 422"
req POST /users '{"user":{"username":"alice2","email":"ALICE@example.org","password":"x"}}'
is "$status $(errors)" "422 email has already been taken" "duplicate email (any case): 422"
# Blank text is refused by the schema (pattern "\\S"), so the document says
# it too: "" and white space only, JavaScript's \s included (U+00A0).
req POST /users '{"user":{"username":"   ","email":"blank@example.org","password":"x"}}'
is "$status $(errors)" "422 user/username: must match the pattern \\S" "blank username: 422"
req POST /users '{"user":{"username":"blank","email":"","password":"x"}}'
is "$status $(errors)" "422 user/email: must match the pattern \\S" "empty email: 422"
req POST /users '{"user":{"username":"blank","email":"blank@example.org","password":""}}'
is "$status $(errors)" "422 user/password: must be at least 1 character, got 0" "empty password: 422"
req POST /users '{"user":{"username":"\t\n\r \u00a0","email":"blank@example.org","password":"  "}}'
is "$status $(errors)" "422 user/username: must match the pattern \\S" \
	"username of tabs, newlines and U+00A0: 422; a password of spaces is a password"
req PUT /user '{"user":{"username":" "}}' "$alice"
is "$status $(errors)" "422 user/username: must match the pattern \\S" "renaming to blank: 422"
req POST /users '{"user":{"username":"dave","password":"x"}}'
is "$status $(errors)" "422 user/email: is required" "missing email: 422 in the API's error shape"
req POST /users/login '{"user":{"email":"alice@example.org","password":"wrong"}}'
is "$status $(errors)" "401 email or password is invalid" "wrong password: 401"
# Login declares `-> 401 "Unauthorized"` without a type: its reply sends the
# API's error shape, GenericErrorModel, which the document declares there.
is "$(jb -c .)" '{"errors":{"body":["email or password is invalid"]}}' "the 401 body is exactly a GenericErrorModel"
req POST /users/login '{"user":{"email":"nobody@example.org","password":"pw-alice"}}'
is "$status" 401 "unknown email: 401"
req POST /users/login '{"user":{"email":"alice@example.org","password":"pw-alice"}}'
is "$status $(jb .user.username) $(jb .user.email) $(jb '.user.bio') $(jb '.user.image')" \
	"200 alice alice@example.org  " "login: 200 with the user, empty bio and image"
login_token=$(jb .user.token)
req GET /user "" "$login_token"
is "$status $(jb .user.username) $(jb .user.token)" "200 alice $login_token" "GET /user with the login token"
req PUT /user '{"user":{"username":"bob"}}' "$alice"
is "$status $(errors)" "422 username has already been taken" "renaming onto a taken username: 422"
req PUT /user '{"user":{"password":"new-pw","bio":"hello"}}' "$carol"
is "$status $(jb .user.bio)" "200 hello" "update password and bio"
req PUT /user '{"user":{"bio":""}}' "$carol"
is "$status $(jb '.user.bio | length')" "200 0" "an empty bio is stored as empty"
req POST /users/login '{"user":{"email":"carol@example.org","password":"new-pw"}}'
is "$status" 200 "login with the new password"
req POST /users/login '{"user":{"email":"carol@example.org","password":"pw-carol"}}'
is "$status" 401 "the old password no longer works"

# ---- bad tokens -------------------------------------------------------------
req GET /user
is "$status" 401 "no token: 401"
req GET /user "" "garbage"
is "$status" 401 "a token that is not a JWT: 401"
# Last signature character changed: the MAC no longer matches.
last=${alice: -1}
if [ "$last" = A ]; then flip=B; else flip=A; fi
req GET /user "" "${alice%?}$flip"
is "$status" 401 "a token with a tampered signature: 401"
# The payload of bob's token with alice's signature.
IFS=. read -r h1 p1 s1 <<<"$alice"
IFS=. read -r h2 p2 s2 <<<"$bob"
req GET /user "" "$h1.$p2.$s1"
is "$status" 401 "a token with a swapped payload: 401"
status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $alice" "$base/user")
is "$status" 401 "the right token with the wrong scheme (Bearer): 401"

# Tokens made by node's crypto with the server's secret: the signature scheme
# is real HS256, and expiry and the algorithm are checked.
mktoken() { # ALG-HEADER-JSON PAYLOAD-JSON
	node -e '
		const c = require("crypto");
		const b = (s) => Buffer.from(s).toString("base64url");
		const data = b(process.argv[1]) + "." + b(process.argv[2]);
		const sig = c.createHmac("sha256", process.env.CONDUIT_JWT_SECRET).update(data).digest("base64url");
		process.stdout.write(data + "." + sig);' "$1" "$2"
}
now=$(date +%s)
alice_id=$(node -e 'process.stdout.write(JSON.parse(Buffer.from(process.argv[1], "base64url")).sub)' "$p1")
tok=$(mktoken '{"alg":"HS256","typ":"JWT"}' "{\"sub\":\"$alice_id\",\"exp\":$((now + 60))}")
req GET /user "" "$tok"
is "$status $(jb .user.username)" "200 alice" "a token signed by another HS256 implementation is accepted"
tok=$(mktoken '{"alg":"HS256","typ":"JWT"}' "{\"sub\":\"$alice_id\",\"exp\":$((now - 1))}")
req GET /user "" "$tok"
is "$status" 401 "an expired token: 401"
tok=$(mktoken '{"alg":"HS256","typ":"JWT"}' "{\"sub\":\"$alice_id\"}")
req GET /user "" "$tok"
is "$status" 401 "a token without exp: 401"
tok=$(mktoken '{"alg":"HS256","typ":"JWT"}' "{\"sub\":\"999999\",\"exp\":$((now + 60))}")
req GET /user "" "$tok"
is "$status" 401 "a token for a user that does not exist: 401"
tok=$(node -e 'const b=(s)=>Buffer.from(s).toString("base64url");process.stdout.write(b(process.argv[1])+"."+b(process.argv[2])+".")' \
	'{"alg":"none"}' "{\"sub\":\"$alice_id\",\"exp\":$((now + 60))}")
req GET /user "" "$tok"
is "$status" 401 "an unsigned alg:none token: 401"

# ---- ownership (403) and existence (404) ----------------------------------------
slug=$(new_article "$alice" "Alice's article")
is "$slug" "alice-s-article" "slug from the title"
slug2=$(new_article "$bob" "Alice's article")
[ -n "$slug2" ] && [ "$slug2" != "$slug" ]
ok $? "the same title again gets another slug ($slug2)"
req PUT "/articles/$slug" '{"article":{"body":"bob was here"}}' "$bob"
is "$status $(errors)" "403 only the author may change this article" "another user's article cannot be edited: 403"
req DELETE "/articles/$slug" "" "$bob"
is "$status" 403 "another user's article cannot be deleted: 403"
req GET "/articles/$slug"
is "$status $(jb .article.body)" "200 b" "the article is unchanged"
req PUT "/articles/$slug" '{"article":{"body":"x"}}'
is "$status" 401 "editing without a token: 401"
req POST "/articles/$slug/comments" '{"comment":{"body":"nice"}}' "$alice"
cid=$(jb .comment.id)
is "$status $(jb .comment.body) $(jb .comment.author.username)" "200 nice alice" "comment created"
req DELETE "/articles/$slug/comments/$cid" "" "$bob"
is "$status $(errors)" "403 only the author may delete this comment" "another user's comment cannot be deleted: 403"
req DELETE "/articles/$slug2/comments/$cid" "" "$alice"
is "$status" 404 "a comment through another article's slug: 404"
req GET "/articles/$slug/comments"
is "$status $(jb '.comments | length')" "200 1" "the comment is still there"
req DELETE "/articles/$slug/comments/$cid" "" "$alice"
is "$status" 204 "the author deletes the comment: 204"
req DELETE "/articles/$slug/comments/$cid" "" "$alice"
is "$status" 404 "deleting it again: 404"
req PUT "/articles/$slug" '{"article":{"title":"Renamed by Alice"}}' "$alice"
is "$status $(jb .article.slug) $(jb .article.title)" "200 renamed-by-alice Renamed by Alice" "a new title makes a new slug"
req GET "/articles/$slug"
is "$status $(errors)" "404 article not found" "the old slug: 404"
slug=renamed-by-alice
req GET /articles/no-such-article
is "$status" 404 "unknown article: 404"
req POST /articles/no-such-article/favorite "" "$bob"
is "$status" 404 "favouriting an unknown article: 404"
req GET /articles/no-such-article/comments
is "$status" 404 "comments of an unknown article: 404"
req GET /profiles/nobody
is "$status $(errors)" "404 profile not found" "unknown profile: 404"
req POST /profiles/alice/follow "" "$alice"
is "$status" 422 "following oneself: 422"
req POST /articles '{"article":{"title":" ","description":"","body":"\t","tagList":["ok"," "]}}' "$alice"
is "$status $(errors)" \
	"422 article/title: must match the pattern \\S; article/description: must match the pattern \\S; article/body: must match the pattern \\S; article/tagList/1: must match the pattern \\S" \
	"blank title, description, body and tag: 422, each named"
req PUT "/articles/$slug" '{"article":{"body":"  "}}' "$alice"
is "$status $(errors)" "422 article/body: must match the pattern \\S" "updating to a blank body: 422"
req POST "/articles/$slug/comments" '{"comment":{"body":"\n"}}' "$alice"
is "$status $(errors)" "422 comment/body: must match the pattern \\S" "blank comment: 422"
req DELETE "/articles/$slug" "" "$alice"
is "$status" 204 "the author deletes the article: 204"
req GET "/articles/$slug"
is "$status" 404 "the deleted article is gone"

# ---- follows, feed, favourites, filters -----------------------------------------
for i in 1 2 3 4 5; do new_article "$carol" "Carol $i" pager "n$i" >/dev/null; done
req GET /articles/feed "" "$bob"
is "$status $(jb .articlesCount) $(jb '.articles | length')" "200 0 0" "empty feed before following"
req POST /profiles/carol/follow "" "$bob"
is "$status $(jb .profile.following)" "200 true" "bob follows carol"
req GET /profiles/carol "" "$bob"
is "$(jb .profile.following)" true "carol's profile as bob: following"
req GET /profiles/carol
is "$(jb .profile.following)" false "carol's profile anonymously: not following"
req GET '/articles/feed?limit=2' "" "$bob"
is "$status $(jb .articlesCount) $(jb '[.articles[].title] | join(",")')" "200 5 Carol 5,Carol 4" \
	"feed: carol's articles only, newest first, limited"
req GET '/articles?author=carol&limit=2&offset=2'
is "$(jb .articlesCount) $(jb '[.articles[].title] | join(",")')" "5 Carol 3,Carol 2" "limit and offset"
is "$(jb '[.articles[] | keys | join(",")] | unique | join(" ")')" \
	"author,createdAt,description,favorited,favoritesCount,slug,tagList,title,updatedAt" \
	"list items have the spec's properties, without body"
req GET '/articles?author=carol&offset=4'
is "$(jb .articlesCount) $(jb '[.articles[].title] | join(",")')" "5 Carol 1" "the last page"
req GET '/articles?author=carol&offset=5'
is "$status $(jb .articlesCount) $(jb '.articles | length')" "200 5 0" "an offset at the end: empty page, full count"
# The two largest values go to the server directly: Prism 5.14.2 clamps a
# `format: int64` schema to +-(2^53 - 1) (@stoplight/http-spec) and would
# refuse what the document (int64, maximum 9223372036854775807) allows.
req_direct GET '/articles?author=carol&offset=9223372036854775807&limit=9223372036854775807'
is "$status $(jb .articlesCount) $(jb '.articles | length')" "200 5 0" "the largest offset and limit"
req_direct GET '/articles?author=carol&limit=9223372036854775807'
is "$status $(jb .articlesCount) $(jb '.articles | length')" "200 5 5" "the largest limit from the start"
req GET '/articles?limit=0'
is "$status $(errors)" "422 limit: must be at least 1, got 0" "limit=0: 422"
req GET '/articles?offset=-1'
is "$status $(errors)" "422 offset: must be at least 0, got -1" "offset=-1: 422"
req GET '/articles?limit=ten'
is "$status $(errors)" "422 limit: must be an integer" "limit=ten: 422"
req GET '/articles?offset=9223372036854775808'
is "$status" 422 "an offset beyond int64: 422"
req GET '/articles?author=carol&tag=n3'
is "$(jb .articlesCount) $(jb '.articles[0].title') $(jb '.articles[0].tagList | join(",")')" "1 Carol 3 n3,pager" \
	"author and tag filters combined; tags sorted"
carol3=$(jb '.articles[0].slug')
# Interleaved authors: one author's page is sparse in article ids.
for i in 1 2 3; do
	new_article "$alice" "Round $i by alice" rr "a$i" >/dev/null
	new_article "$bob" "Round $i by bob" rr "b$i" >/dev/null
	new_article "$carol" "Round $i by carol" rr "c$i" >/dev/null
done
req GET '/articles?author=alice&tag=rr'
is "$(jb .articlesCount) $(jb '[.articles[] | .title + ":" + (.tagList | join(","))] | join(" ")')" \
	"3 Round 3 by alice:a3,rr Round 2 by alice:a2,rr Round 1 by alice:a1,rr" "tags of a sparse page"
req GET '/articles?tag=rr&limit=4&offset=1'
is "$(jb '[.articles[] | .title + ":" + (.tagList | join(","))] | join(" ")')" \
	"Round 3 by bob:b3,rr Round 3 by alice:a3,rr Round 2 by carol:c2,rr Round 2 by bob:b2,rr" "tags of a dense page"
req POST "/articles/$carol3/favorite" "" "$alice"
req POST "/articles/$carol3/favorite" "" "$bob"
is "$status $(jb .article.favorited) $(jb .article.favoritesCount)" "200 true 2" "two favourites"
req POST "/articles/$carol3/favorite" "" "$bob"
is "$(jb .article.favoritesCount)" 2 "favouriting twice counts once"
req GET '/articles?favorited=bob' "" "$alice"
is "$(jb .articlesCount) $(jb '.articles[0].slug') $(jb '.articles[0].favorited') $(jb '.articles[0].author.following')" \
	"1 $carol3 true false" "favorited filter, as alice sees it"
req DELETE "/articles/$carol3/favorite" "" "$bob"
is "$status $(jb .article.favorited) $(jb .article.favoritesCount)" "200 false 1" "unfavourite"
req DELETE /profiles/carol/follow "" "$bob"
is "$status $(jb .profile.following)" "200 false" "unfollow"
req GET /articles/feed "" "$bob"
is "$(jb .articlesCount)" 0 "feed empty again"
req GET /articles/feed
is "$status" 401 "feed without a token: 401"

# ---- slugs never land on a literal route ------------------------------------------
# GET /articles/feed is the feed: an article slugged "feed" could never be
# read. Titles that slugify to it get a suffix; each article reads back by
# its own slug, and the feed stays the feed.
dora=$(register dora)
n=0
for title in "feed" "Feed" "feed " "FEED!" "  Feed  "; do
	n=$((n + 1))
	s=$(new_article "$dora" "$title")
	case $s in feed-*) ok 0 "title '$title': slug $s, not feed" ;; *) ok 1 "title '$title': slug '$s', not feed" ;; esac
	req GET "/articles/$s"
	is "$status $(jb .article.title) $(jb .article.slug)" "200 $title $s" "title '$title': read back by its slug"
done
req GET /articles/feed "" "$dora"
is "$status $(jb .articlesCount)" "200 0" "GET /articles/feed is still the feed"
s=$(new_article "$dora" "Soon the feed")
req PUT "/articles/$s" '{"article":{"title":"Feed"}}' "$dora"
renamed=$(jb .article.slug)
case $renamed in feed-*) ok 0 "renamed to 'Feed': slug $renamed" ;; *) ok 1 "renamed to 'Feed': slug '$renamed'" ;; esac
req GET "/articles/$renamed"
is "$status $(jb .article.title)" "200 Feed" "the renamed article reads back by its new slug"
req PUT "/articles/$renamed" '{"article":{"title":"feed"}}' "$dora"
is "$status $(jb .article.title)" "200 feed" "renamed again to 'feed'"
[ "$(jb .article.slug)" != feed ]
ok $? "... and still not slugged feed ($(jb .article.slug))"
req GET "/articles/$(jb .article.slug)/comments"
is "$status" 200 "its comments are reachable by its slug"

# ---- concurrent writers ---------------------------------------------------------
# 40 articles with one title from 8 connections at once, on the server's
# threads: each is created (no SQLITE_BUSY leaks out) and gets its own slug.
export base alice bob
seq 1 40 | xargs -P 8 -I{} sh -c '
	if [ $(({} % 2)) -eq 0 ]; then t=$alice; else t=$bob; fi
	curl -sS -o /dev/null -w "%{http_code}\n" -X POST "$base/articles" \
		-H "Content-Type: application/json" -H "Authorization: Token $t" \
		--data-binary "{\"article\":{\"title\":\"Same\",\"description\":\"d\",\"body\":\"b\",\"tagList\":[\"same\",\"s{}\"]}}"' \
	>"$workdir/codes"
is "$(sort "$workdir/codes" | uniq -c | tr -s ' ')" " 40 201" "40 concurrent creates: all 201"
req GET '/articles?tag=same&limit=100'
is "$(jb .articlesCount) $(jb '[.articles[].slug] | unique | length') $(jb '[.articles[].tagList | length] | unique | join(",")')" \
	"40 40 2" "40 articles, 40 distinct slugs, two tags each"

# ---- text stored and returned verbatim ----------------------------------------------
# Quotes, SQL comments and statements, LIKE wildcards, backslashes,
# characters JSON must escape, and UTF-8 in one, two, three and four bytes.
nasty=$'O\'Brien "q" \'; DROP TABLE users; -- %_ \\ \t\n <b>&amp; é ñ € 😀 ?1 :x @y $z'
uname="o'brien\"; DROP TABLE users;--%_é😀"
req POST /users "$(jq -nc --arg u "$uname" --arg e "o'brien+%_@example.org" '{user: {username: $u, email: $e, password: "p%_\u0027"}}')"
is "$status $(jb .user.username) $(jb .user.email)" "201 $uname o'brien+%_@example.org" \
	"username and email with metacharacters"
evil=$(jb .user.token)
req POST /users/login "$(jq -nc '{user: {email: "o'"'"'brien+%_@example.org", password: "p%_\u0027"}}')"
is "$status" 200 "login with metacharacters in email and password"
req PUT /user "$(jq -nc --arg s "$nasty" '{user: {bio: $s, image: ("https://example.org/" + $s)}}')" "$evil"
got=$(jq -nc --argjson u "$(jb .user)" '[$u.bio, $u.image]')
want=$(jq -nc --arg s "$nasty" '[$s, ("https://example.org/" + $s)]')
is "$status $got" "200 $want" "bio and image with metacharacters"
req PUT /user '{"user":{"bio":"a\u0000b\u2028c\ud83d\ude00"}}' "$evil"
is "$status $(jb '.user.bio == "a\u0000b\u2028c\ud83d\ude00"')" "200 true" "U+0000, U+2028 and a surrogate pair kept"
req PUT /user "$(jq -nc --arg s "$nasty" '{user: {bio: $s}}')" "$evil"
enc_uname=$(jq -rn --arg u "$uname" '$u | @uri')
req GET "/profiles/$enc_uname"
is "$status $(jb .profile.username) $(jb .profile.bio | head -c 8)" "200 $uname O'Brien " "profile by a percent-encoded username"
req POST /articles "$(jq -nc --arg s "$nasty" '{article: {title: $s, description: $s, body: $s, tagList: [$s, "%", "_", "'"'"'", "ü"]}}')" "$evil"
nslug=$(jb .article.slug)
want=$(jq -nc --arg s "$nasty" '[$s, $s, $s, (["%", "'"'"'", "_", $s, "ü"] | sort)]')
got=$(jq -c '[.article.title, .article.description, .article.body, .article.tagList]' "$workdir/body")
is "$status $got" "201 $want" "article fields and tags with metacharacters"
req GET "/articles/$nslug"
got=$(jq -c '[.article.title, .article.description, .article.body, .article.tagList]' "$workdir/body")
is "$status $got" "200 $want" "the same values read back"
req GET '/articles?tag=%25'
is "$(jb .articlesCount) $(jb '.articles[0].slug')" "1 $nslug" "tag '%' matches only itself"
req GET '/articles?tag=_'
is "$(jb .articlesCount)" 1 "tag '_' matches only itself"
req GET '/articles?tag=%25%25'
is "$(jb .articlesCount)" 0 "tag '%%' matches nothing"
req GET "/articles?author=$enc_uname"
is "$(jb .articlesCount)" 1 "author filter with metacharacters"
req GET "/articles?tag=$(jq -rn --arg s "$nasty" '$s | @uri')"
is "$(jb .articlesCount)" 1 "tag filter with the whole string"
req POST "/articles/$nslug/comments" "$(jq -nc --arg s "$nasty" '{comment: {body: $s}}')" "$evil"
got=$(jq -c '[.comment.body, .comment.author.username]' "$workdir/body")
want=$(jq -nc --arg s "$nasty" --arg u "$uname" '[$s, $u]')
is "$status $got" "200 $want" "comment body with metacharacters"
req GET /tags
is "$(jb '[.tags[] | select(. == "%" or . == "_" or . == "'"'"'")] | join(" ")')" "% ' _" "GET /tags lists them"
req GET "/articles?author=carol"
is "$(jb .articlesCount)" 8 "every table still there"

# ---- command line -------------------------------------------------------------
help=$("$CONDUIT_BIN" --help)
is "$? $(printf '%s\n' "$help" | sed -n 's/^  --port PORT  *//p')" "0 TCP port, 0 for any free one (default 3000)" \
	"--help: port 3000 by default"

ok_clean_exit
echo "1..$tap_n"
[ "$tap_failed" -eq 0 ]
