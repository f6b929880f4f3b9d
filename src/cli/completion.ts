import type { Command } from './registry.js'
import { writeFd } from './write-fd.js'

/**
 * `quotabar completion bash|zsh|fish`: a script for the shell's own completion system. Each one
 * asks the installed quotabar for the words (`--get-yargs-completions`), so completions follow the
 * commands and flags of whatever version is on PATH.
 */
const SCRIPTS = {
  bash: `# quotabar completion for bash: add to ~/.bashrc
#   source <(quotabar completion bash)
_quotabar_completions() {
  local IFS=$'\\n' cur="\${COMP_WORDS[COMP_CWORD]}"
  local words=($(SHELL=/bin/bash quotabar --get-yargs-completions "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null))
  COMPREPLY=($(compgen -W "\${words[*]}" -- "$cur"))
}
complete -o default -F _quotabar_completions quotabar
`,
  zsh: `#compdef quotabar
# quotabar completion for zsh: add to ~/.zshrc
#   source <(quotabar completion zsh)
_quotabar() {
  local -a words_out
  words_out=("\${(@f)$(SHELL=/bin/bash quotabar --get-yargs-completions "\${words[@]:0:CURRENT}" 2>/dev/null)}")
  if [[ -n "\${words_out[1]}" ]]; then compadd -- "\${words_out[@]}"; else _files; fi
}
compdef _quotabar quotabar
`,
  fish: `# quotabar completion for fish: save as ~/.config/fish/completions/quotabar.fish
#   quotabar completion fish > ~/.config/fish/completions/quotabar.fish
function __quotabar_complete
    set -l words (commandline -opc) (commandline -ct)
    env SHELL=/bin/bash quotabar --get-yargs-completions $words 2>/dev/null
end
complete -c quotabar -f -a '(__quotabar_complete)'
`,
} as const

type Shell = keyof typeof SCRIPTS

export const completionCommand: Command = (y, done) =>
  y.command(
    'completion <shell>',
    'print a shell completion script: bash | zsh | fish',
    (c) =>
      c
        .positional('shell', { choices: Object.keys(SCRIPTS) as Shell[], demandOption: true })
        // No description column: yargs would wrap the fish line, and each is meant to be pasted whole.
        .example('source <(quotabar completion bash)   # in ~/.bashrc', '')
        .example('source <(quotabar completion zsh)    # in ~/.zshrc', '')
        .example('quotabar completion fish > ~/.config/fish/completions/quotabar.fish', ''),
    (args) => {
      writeFd(1, SCRIPTS[args.shell as Shell])
      done(0)
    },
  )
