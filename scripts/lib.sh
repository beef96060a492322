# Shared helpers of the rig's scripts.  Sourced, not run.

# The identity of the project's commits, and of the generated trees' base
# commit.  Fixed, so that the same series always gives the same trees.
export GIT_AUTHOR_NAME="Xen DMA Dirty Reporting Project"
export GIT_AUTHOR_EMAIL="dma-dirty-reporting@project.invalid"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

# The pinned xen.git base, unless the user points XEN_SRC elsewhere (the
# Makefile passes its own value down).
XEN_SRC=${XEN_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/shared/deps/xen-c447b7308b13.tar.xz}
export XEN_SRC

die() {
    echo "error: $*" >&2
    exit 1
}

# unpack_base SRC DEST VAR: put the tree SRC (a .tar.* whose top folder is
# the tree, a git checkout, or a plain folder) in DEST, as a git repository
# with one commit tagged "base".  VAR names the variable that set SRC, for
# the error message.
unpack_base() {
    local src=$1 dest=$2 var=$3

    [ -n "$src" ] || die "$var is empty"
    [ -e "$src" ] || die "$var=$src does not exist (point $var at a tarball or a source tree)"
    rm -rf "$dest"
    mkdir -p "$dest"
    if [ -f "$src" ]; then
        tar -xf "$src" -C "$dest" --strip-components=1 ||
            die "$var=$src: cannot unpack"
    elif [ -d "$src/.git" ] || git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
        git -C "$src" archive --format=tar HEAD | tar -xf - -C "$dest" ||
            die "$var=$src: git archive failed"
    elif [ -d "$src" ]; then
        cp -a "$src/." "$dest/"
    else
        die "$var=$src is neither a tarball nor a folder"
    fi
    (
        cd "$dest" &&
        git init -q -b patches . &&
        git config user.name "$GIT_AUTHOR_NAME" &&
        git config user.email "$GIT_AUTHOR_EMAIL" &&
        git add -A -f . &&
        GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" \
        GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
            git commit -q --no-verify -m "upstream base" &&
        git tag base
    ) || die "cannot make a git repository of $dest"
}

# apply_series QUEUE DEST: git am every patch of QUEUE/series onto DEST.
apply_series() {
    local queue=$1 dest=$2 p

    [ -f "$queue/series" ] || die "$queue/series is missing"
    while read -r p; do
        case "$p" in ''|'#'*) continue ;; esac
        git -C "$dest" am -q --keep-cr "$(cd "$queue" && pwd)/$p" ||
            die "$p does not apply (git -C $dest am --abort to clean up)"
    done < "$queue/series"
}

# export_series SRC_TREE QUEUE: write the commits after "base" as
# format-patch files and a series file.  Deterministic: no commit ids, no
# signature, no version trailer.
export_series() {
    local tree=$1 queue=$2

    mkdir -p "$queue"
    rm -f "$queue"/*.patch "$queue/series"
    git -C "$tree" -c core.abbrev=12 -c diff.noprefix=false \
        -c diff.mnemonicPrefix=false -c diff.algorithm=myers \
        -c diff.renames=true \
        format-patch -q --zero-commit --no-signature --no-numbered \
        --no-base -o "$(cd "$queue" && pwd)" base..HEAD ||
        die "format-patch failed"
    (cd "$queue" && ls -1 *.patch > series)
}
