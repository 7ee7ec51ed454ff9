#!/bin/sh
# Includes follow the data flow (STYLE.md "Layout"): base <- model <-
# ingest/rules <- planner <- report <- cli. Prints offending lines.
set -u
bad=0
check() { # stage, allowed stages (regex)
	hits=$(grep -n '#include "\.\./' analyzer/"$1"/*.[ch] 2>/dev/null |
		grep -vE "#include \"\.\./($2)/" || true)
	if [ -n "$hits" ]; then echo "$hits"; bad=1; fi
}
check base '^$'
check model 'base'
check ingest 'base|model'
check rules 'base|model'
check planner 'base|model|rules'
check report 'base|model|rules|planner'
check cli 'base|model|ingest|rules|planner|report'
for f in analyzer/*/internal.h; do
	stage=$(basename "$(dirname "$f")")
	hits=$(grep -ln "$stage/internal.h" analyzer/*/*.c 2>/dev/null |
		grep -v "analyzer/$stage/" || true)
	if [ -n "$hits" ]; then echo "$hits includes $f"; bad=1; fi
done
[ $bad = 0 ] && echo "check-layout: ok"
exit $bad
