#!/bin/bash
# make series: one mbox per topic, build/<base>/series/<topic>.mbox, each the
# topic's cover letter and patches with To/Cc from the kernel's
# scripts/get_maintainer.pl run on that topic's patches only. From: and
# Signed-off-by: are the sender's git identity instead of the placeholder
# the patches carry; every message is dated from now (one second apart,
# in order) and each patch replies to its cover letter. Every patch must
# pass checkpatch --strict as it will be sent, or nothing is written.
. "$(dirname "$0")/lib.sh"
[ -d "$TREE/.git" ] || die "no build/$KBASE/linux; run 'make tree' first"
[ -n "$(series_patches)" ] || die "patches/$KBASE/series is empty: nothing to send"

# The sender: GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, else git config here.
PLACEHOLDER='lockless-pgtable developers <lpt@localhost>'
name=${GIT_AUTHOR_NAME:-$(git -C "$TOP" config user.name || true)}
email=${GIT_AUTHOR_EMAIL:-$(git -C "$TOP" config user.email || true)}
ok=1
case $email in
*@localhost | *@localhost.* | *@*@* | *[\<\>\ ]*) ok=0 ;;
?*@?*) ;;
*) ok=0 ;;
esac
[ -n "$name" ] && [ $ok = 1 ] && [ "$name <$email>" != "$PLACEHOLDER" ] ||
	die "make series needs the sender's identity for From: and Signed-off-by:," \
		"got '$name <$email>' (the patches' placeholder, '$PLACEHOLDER'," \
		"cannot sign the DCO). Set yours: git -C $TOP config user.name 'Your Name'" \
		"&& git -C $TOP config user.email you@example.org, or export" \
		"GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL; nothing written"
SOB="$name <$email>"
# From: as a mail header: RFC 2047 for a non-ASCII name (and a charset for
# the Signed-off-by: in the body), quotes for one with specials.
UTF8=0
LC_ALL=C grep -q '[^ -~]' <<<"$name" && UTF8=1
FROM=$(perl -MEncode -e '($n, $e) = @ARGV;
	if ($n =~ /[^\x20-\x7e]/) { $n = encode("MIME-Q", decode("UTF-8", $n)) }
	elsif ($n =~ /[()<>\[\]:;@\\,."]/) { $n =~ s/(["\\])/\\$1/g; $n = "\"$n\"" }
	print "$n <$e>"' "$name" "$email")
# The base's subject prefix: "PATCH" for mainline, "PATCH 6.12.y" for a
# backport (patches/<base>/base).
PREFIX=${BASE_SUBJECT_PREFIX:-PATCH}
export PLACEHOLDER SOB FROM UTF8 PREFIX

# Message $1 with the sender, To/Cc, the base's subject prefix, Date $2, Message-ID $3 and, if $4 is
# set, In-Reply-To/References $4.
rewrite() {
	DATE=$2 MSGID=$3 REPLY=${4:-} awk '
	NR == 1 { hdr = 1 }
	hdr && /^$/ {
		print "Message-ID: " ENVIRON["MSGID"]
		if (ENVIRON["REPLY"] != "") {
			print "In-Reply-To: " ENVIRON["REPLY"]
			print "References: " ENVIRON["REPLY"]
		}
		if (ENVIRON["UTF8"] == 1 && !mime) {
			print "MIME-Version: 1.0"
			print "Content-Type: text/plain; charset=UTF-8"
			print "Content-Transfer-Encoding: 8bit"
		}
		hdr = 0; body = 1
	}
	hdr && /^From: / {
		print $0 == "From: " ENVIRON["PLACEHOLDER"] ? "From: " ENVIRON["FROM"] : $0
		if (ENVIRON["TO"] != "") print "To: " ENVIRON["TO"]
		if (ENVIRON["CC"] != "") print "Cc: " ENVIRON["CC"]
		next
	}
	hdr && /^Date: / { print "Date: " ENVIRON["DATE"]; next }
	hdr && /^Subject: \[PATCH/ { sub(/^Subject: \[PATCH/, "Subject: [" ENVIRON["PREFIX"]) }
	hdr && /^Content-Type: / { mime = 1 }
	body && /^---$/ { body = 0 }
	body && $0 == "Signed-off-by: " ENVIRON["PLACEHOLDER"] { print "Signed-off-by: " ENVIRON["SOB"]; next }
	{ print }' "$1"
}

# get_maintainer.pl on the given patches: one address per header line.
# --no-fixes: build/<base>/linux has no upstream history to find a Fixes: commit in.
gm() {
	(cd "$TREE" && scripts/get_maintainer.pl --no-git --no-git-fallback \
		--no-fixes --no-rolestats "$@") | sed -e '$!s/$/,/' -e '1!s/^/ /'
}

t0=$(date +%s)
k=0 fail=0
mkdir -p "$TMP/series"
for t in $(series_topics); do
	check_cover "$t"
	mapfile -t pats < <(topic_patches "$t")
	export TO CC
	TO=$(gm --nol --nor "${pats[@]}")
	CC=$(gm --nom "${pats[@]}")
	cover=$PATCHES/$t/0000-cover-letter.patch
	msgs=("${pats[@]}")
	[ -f "$cover" ] && msgs=("$cover" "${msgs[@]}") || cover=
	id=0 reply=
	mkdir -p "$TMP/msg/$t"
	for f in "${msgs[@]}"; do
		msgid="<$(date -u -d "@$t0" +%Y%m%d%H%M%S).$$-$t-$id-$email>"
		rewrite "$f" "$(LC_ALL=C date -R -d "@$((t0 + k))")" "$msgid" "$reply" >"$TMP/msg/$t/${f##*/}"
		[ -n "$reply" ] || [ -z "$cover" ] || reply=$msgid
		if [ "$f" != "$cover" ]; then
			out=$(checkpatch "$t/${f##*/}" "$TMP/msg/$t/${f##*/}") || {
				printf 'checkpatch: %s/%s as sent\n%s\n' "$t" "${f##*/}" "$out"
				fail=1
			}
		fi
		cat "$TMP/msg/$t/${f##*/}" >>"$TMP/series/$t.mbox"
		id=$((id + 1)) k=$((k + 1))
	done
	printf '%s: %s%d patches\nTo: %s\nCc: %s\n\n' "build/$KBASE/series/$t.mbox" \
		"${cover:+cover letter + }" ${#pats[@]} "$TO" "$CC" >>"$TMP/summary"
done
[ $fail = 0 ] || die "checkpatch --strict found problems in the messages; nothing written"
rm -rf "$BUILD/series" "$BUILD/series.mbox"
mv "$TMP/series" "$BUILD/series"
cat "$TMP/summary"
echo "From: $SOB; dated $(LC_ALL=C date -R -d "@$t0") on, one second apart"
