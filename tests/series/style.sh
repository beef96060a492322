#!/usr/bin/env bash
# style.sh QUEUE: every patch has an "area: summary" subject, a body, the
# project as author and only the project's Signed-off-by.
set -eu
queue=$1
ident="Xen DMA Dirty Reporting Project <dma-dirty-reporting@project.invalid>"
rc=0
while read -r p; do
    f=$queue/$p
    subj=$(sed -n 's/^Subject: \[PATCH\] //p' "$f")
    echo "$p: $subj"
    echo "$subj" | grep -Eq '^[a-zA-Z0-9/_.-]+(, [a-zA-Z0-9/_.-]+)*: [a-z]' ||
        { echo "  subject not in 'area: summary' form"; rc=1; }
    [ ${#subj} -le 75 ] || { echo "  subject longer than 75"; rc=1; }
    grep -qx "From: $ident" "$f" || { echo "  author is not the project"; rc=1; }
    [ "$(grep -c '^Signed-off-by: ' "$f")" = 1 ] &&
        grep -qx "Signed-off-by: $ident" "$f" ||
        { echo "  Signed-off-by is not the project's alone"; rc=1; }
    body=$(awk '/^Subject:/{s=1;next} s&&/^---$/{exit} s' "$f" | grep -vc '^\(Signed-off-by:.*\)\?$' || true)
    [ "$body" -ge 3 ] || { echo "  body too short to say why"; rc=1; }
done < "$queue/series"
exit $rc
