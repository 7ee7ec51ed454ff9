# bash completion for skewplan(1) and skewplan-capture(1).
# Installed by `make install` as $(PREFIX)/share/bash-completion/completions/
# skewplan and skewplan-capture; or source it from ~/.bashrc. Needs only
# bash itself (compgen), not the bash-completion package.

_skewplan_commands="inspect audit plan rules check-rules version help"
_skewplan_formats="text markdown html json sarif junit codeclimate"
_skewplan_kinds="version kubeadm nodes images packages metrics audit manifests configz node-facts"

# _skewplan_options COMMAND: the options COMMAND takes.
_skewplan_options()
{
	local out="-f --format -o --output --color --source-root"
	case $1 in
	inspect) echo "-f --format --progress --strict" ;;
	audit) echo "--as-of --rules --waivers --fail-on --baseline --near-eol-days --target --progress --strict $out" ;;
	plan) echo "--to --as-of --rules --max-unavailable --strict-packages --patch-first --progress --strategy --strict --full-state --fail-on $out" ;;
	rules | version) echo "--rules" ;;
	esac
}

_skewplan_files()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$1"))
}

_skewplan_dirs()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$1"))
}

_skewplan()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev="" cmd="" i opt
	local cword=$COMP_CWORD
	COMPREPLY=()

	# "--format=js": bash splits the word at "=" (COMP_WORDBREAKS).
	if [ "$cur" = "=" ]; then
		cur=""
		prev=${COMP_WORDS[cword - 1]}
		opt=1
	elif [ "$cword" -ge 2 ] && [ "${COMP_WORDS[cword - 1]}" = "=" ]; then
		prev=${COMP_WORDS[cword - 2]}
		opt=1
	elif [ "$cword" -ge 1 ]; then
		prev=${COMP_WORDS[cword - 1]}
		opt=0
	fi

	for ((i = 1; i < cword; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$_skewplan_commands --help --version -h -V" -- "$cur"))
		return 0
	fi

	# KIND=FILE snapshot arguments.
	if [ "$opt" = 1 ]; then
		case " $_skewplan_kinds " in
		*" $prev "*) _skewplan_files "$cur"; return 0 ;;
		esac
	fi

	case $prev in
	-f | --format)
		if [ "$cmd" = inspect ]; then
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_skewplan_formats" -- "$cur"))
		fi
		return 0 ;;
	--fail-on)
		COMPREPLY=($(compgen -W "error warning info new never" -- "$cur"))
		return 0 ;;
	--strategy)
		COMPREPLY=($(compgen -W "default fewest-drains" -- "$cur"))
		return 0 ;;
	--color | --progress)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return 0 ;;
	--to)
		COMPREPLY=($(compgen -W "latest latest-patch" -- "$cur"))
		return 0 ;;
	--rules | --source-root)
		_skewplan_dirs "$cur"
		return 0 ;;
	--waivers | --baseline)
		_skewplan_files "$cur"
		return 0 ;;
	-o | --output)
		# FORMAT:FILE, or a file named by its extension.
		case $cur in
		*:*) _skewplan_files "${cur#*:}"
		     COMPREPLY=("${COMPREPLY[@]/#/${cur%%:*}:}") ;;
		*) _skewplan_files "$cur"
		   COMPREPLY+=($(compgen -W "$(printf '%s: ' $_skewplan_formats)" -- "$cur")) ;;
		esac
		return 0 ;;
	--as-of | --near-eol-days | --max-unavailable | --target)
		return 0 ;;
	esac

	case $cmd in
	help)
		[ "$cword" -le 2 ] && COMPREPLY=($(compgen -W "$_skewplan_commands" -- "$cur"))
		return 0 ;;
	check-rules)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help -h --version -V" -- "$cur"))
		else
			_skewplan_dirs "$cur"
		fi
		return 0 ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_skewplan_options "$cmd") --help --version" -- "$cur"))
		return 0
	fi
	case $cmd in rules | version) return 0 ;; esac
	_skewplan_files "$cur"
	COMPREPLY+=($(compgen -W "$(printf '%s= ' $_skewplan_kinds)" -- "$cur"))
	return 0
}

_skewplan_capture()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	case $prev in
	-o) _skewplan_dirs "$cur"; return 0 ;;
	-k) _skewplan_files "$cur"; return 0 ;;
	esac
	COMPREPLY=($(compgen -W "-o -k -h" -- "$cur"))
}

complete -F _skewplan skewplan
complete -F _skewplan_capture skewplan-capture
