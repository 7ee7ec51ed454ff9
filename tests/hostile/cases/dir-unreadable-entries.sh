# cap: 30
# Item 6: entries of a snapshot directory that cannot be read are said,
# never skipped without a word. A dangling or looping symbolic link and a
# FIFO are located errors (exit 3): a capture the snapshot names but cannot
# give must not pass an audit as merely missing. The FIFO is never opened
# (it would wait for a writer). A subdirectory is a warning.
mkdir "$T/snap"
cp fixtures/seed-v1.26.1/version.txt fixtures/seed-v1.26.1/madison.txt \
   fixtures/seed-v1.26.1/images.txt "$T/snap/"
ln -s missing-nodes.txt "$T/snap/nodes.txt"
run 3 audit --as-of 2024-01-01 "$T/snap"
has "$T/err" "snap/nodes.txt: error: dangling symbolic link to 'missing-nodes.txt'"
hasnt "$T/out" 'input-missing'
rm "$T/snap/nodes.txt"
ln -s loop-b "$T/snap/loop-a"
ln -s loop-a "$T/snap/loop-b"
run 3 inspect "$T/snap"
has "$T/err" "snap/loop-a: error: symbolic link loop"
rm "$T/snap/loop-a" "$T/snap/loop-b"
mkfifo "$T/snap/pipe"
run 3 inspect "$T/snap"
has "$T/err" "snap/pipe: error: not a regular file \(a FIFO\): not read"
rm "$T/snap/pipe"
cp fixtures/seed-v1.26.1/nodes.txt "$T/snap/"
mkdir "$T/snap/old"
run 0 inspect "$T/snap"
has "$T/err" "snap/old: warning: subdirectory not read"
has "$T/out" 'node-3'
