package main

// completionScripts are the scripts kflow completion prints, by shell.
// Each passes the words typed so far to kflow __complete and offers what
// it prints, so commands, flags and names are completed the same way in
// every shell. The words start with the command as typed (a path works).
var completionScripts = map[string]string{
	"bash": `# kflow completion for bash: source <(kflow completion bash)
_kflow() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    [[ $cur == = ]] && cur=
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "$cur"))
}
complete -o default -F _kflow kflow
`,
	"zsh": `#compdef kflow
# kflow completion for zsh: source <(kflow completion zsh), after compinit
_kflow() {
    local -a cands
    cands=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    cands=(${cands:#})
    compadd -- "${cands[@]}"
}
if [ "$funcstack[1]" = "_kflow" ]; then
    _kflow "$@"
else
    compdef _kflow kflow
fi
`,
	"fish": `# kflow completion for fish: kflow completion fish | source
function __kflow_complete
    set -l words (commandline -opc) (commandline -ct)
    $words[1] __complete $words[2..-1] 2>/dev/null
end
complete -c kflow -f -a '(__kflow_complete)'
`,
}
