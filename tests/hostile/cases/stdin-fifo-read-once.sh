# cap: 60
# Item 17: every input is opened and read once, so standard input ('-',
# also as KIND=-), /dev/stdin on a pipe and FIFOs are read like files: the
# sniffer's bytes are kept and the parser goes on from the same stream.
# Before, the parser reopened the path and found what the sniffer had left:
# "no kubectl or kubeadm version found".
v=fixtures/seed-v1.26.1/version.txt
cat "$v" | run 0 inspect -
has "$T/out" 'version +legacy-version-info +<stdin>'
has "$T/out" 'server +v1.26.1 +<stdin>:5:64'
cat "$v" | run 0 inspect version=-
has "$T/out" 'server +v1.26.1'
# The node table parser reads twice (it takes the last table): from a pipe
# too, through /dev/stdin.
cat fixtures/seed-v1.26.1/nodes.txt | run 0 inspect /dev/stdin
has "$T/out" 'node-3 .*/dev/stdin:5:1'
# Documents streamed through libyaml.
cat fixtures/images/podlist.json | run 0 inspect images=-
has "$T/out" 'images +json +<stdin>'
# A FIFO named on the command line is read (its writer is running).
mkfifo "$T/fifo"
cat fixtures/seed-v1.26.1/madison.txt >"$T/fifo" &
run 0 inspect "$T/fifo"
has "$T/out" 'kubeadm +1.26.3-00 +legacy +.*fifo:2:15'
wait
# Errors in a piped capture are located (no source line can be quoted).
printf 'NAME STATUS ROLES AGE VERSION\nn1 Redy <none> 1d v1.26.1\n' | run 3 inspect -
has "$T/err" "^<stdin>:2:4: error: unknown node status 'Redy'"
