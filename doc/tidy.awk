# tidy.awk - drops the empty paragraphs scdoc writes (a .P before .SH, after
# .TH or .SH, or next to another .P) and moves a .P that ends an indented
# block after its .RE, so that `mandoc -Tlint -W warning` has nothing to say.
# The rendered page is unchanged.
function flush() { if (held) { held = 0; if (out != ".P") emit(".P") } }
function emit(s) { print s; out = s }
{
	if ($0 == ".P") {
		if (held || out ~ /^\.(TH|SH|SS|P)( |$)/) next
		held = 1
		next
	}
	if (held && $0 ~ /^\.(SH|SS)( |$)/) { held = 0; emit($0); next }
	if (held && $0 == ".RE") { emit(".RE"); next }
	flush()
	emit($0)
}
