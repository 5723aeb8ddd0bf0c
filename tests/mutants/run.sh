#!/bin/sh
# Show that the suite catches the deliberate bugs in mutants.txt: in a
# throwaway copy of the tree (never this one), apply one mutant at a time,
# rebuild, run its tests. KILLED: one of them failed; SURVIVED: all passed
# (or skipped). First the unmutated copy must pass those tests.
# Usage: tests/mutants/run.sh [NAME...]   (as root, after scripts/deps.sh)
# Exit: 0 all killed, 1 some survived, 2 broken tree or mutant.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
list=$root/tests/mutants/mutants.txt
work=$(mktemp -d /tmp/mutants-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/src
tab=$(printf '\t')

# the tree as it is now, committed or not, without build directories
mkdir "$src"
git -C "$root" ls-files -co --exclude-standard | while IFS= read -r f; do
	[ -e "$root/$f" ] && printf '%s\n' "$f"
done | tar -C "$root" -cf - -T - | tar -C "$src" -xf -
meson setup "$src/build" "$src" >/dev/null

# run_tests TESTS(comma-separated): print "name result" per test; the
# status is meson's (non-zero when one failed)
run_tests() {
	# shellcheck disable=SC2046
	meson test -C "$src/build" --num-processes 1 $(echo "$1" | tr ',' ' ') \
		</dev/null >"$work/test.out" 2>&1
}
results() {
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r["name"], r["result"])' "$src/build/meson-logs/testlog.json" | paste -sd' ' -
}

# apply FILE ORIG MUT: replace the one occurrence of ORIG in FILE
apply() {
	python3 - "$src/$1" "$2" "$3" <<'PY'
import sys
path, orig, mut = sys.argv[1:]
text = open(path).read()
n = text.count(orig)
if n != 1:
    sys.exit("%s: original text found %d times, not once: %s" % (path, n, orig))
open(path, "w").write(text.replace(orig, mut))
PY
}

# the mutants selected by the arguments, without comments
grep -v "^#" "$list" | grep -v "^$" >"$work/all"
if [ $# -gt 0 ]; then
	: >"$work/sel"
	for n in "$@"; do
		grep "^$n$tab" "$work/all" >>"$work/sel" || { echo "no mutant $n" >&2; exit 2; }
	done
else
	cp "$work/all" "$work/sel"
fi

ninja -C "$src/build" >"$work/build.out" 2>&1 || { cat "$work/build.out"; exit 2; }
all_tests=$(cut -f5 "$work/sel" | tr ',' '\n' | sort -u | paste -sd, -)
if ! run_tests "$all_tests" || results | grep -qv " OK"; then
	echo "unmutated tree does not pass $all_tests: $(results)"
	cat "$work/test.out"
	exit 2
fi
echo "baseline: $(results)"

survived=0 broken=0
while IFS="$tab" read -r name file orig mut tests; do
	cp "$src/$file" "$work/orig"
	if ! apply "$file" "$orig" "$mut"; then
		echo "BROKEN   $name: fix mutants.txt"
		broken=1
		continue
	fi
	if ! ninja -C "$src/build" </dev/null >"$work/build.out" 2>&1; then
		echo "BROKEN   $name: does not build"
		tail -20 "$work/build.out"
		broken=1
	elif run_tests "$tests"; then
		echo "SURVIVED $name ($file): $(results)"
		survived=1
	else
		echo "KILLED   $name ($file): $(results)"
		# the first failed check, to see that it failed for the right reason
		grep -m1 -E "^FAIL |differs from|check failed" "$src/build/meson-logs/testlog.txt" |
			sed 's/^/         /'
	fi
	cp "$work/orig" "$src/$file"
done <"$work/sel"

[ "$broken" = 0 ] || exit 2
[ "$survived" = 0 ] || exit 1
echo "every mutant killed"
