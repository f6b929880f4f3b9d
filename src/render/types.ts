import type { View } from '../view.js'
import type { IconStyle, ProviderIcons } from './icons.js'
import type { Palette } from './palette.js'
import type { Template } from './template.js'

export interface RenderOptions {
  colors: Palette
  /** Provider display names by id, for the tooltip (`Claude`) and `{provider}`. */
  providerNames: Record<string, string>
  /** Config `icons` / `--icons`; default `none`. */
  icons?: IconStyle
  providerIcons?: Record<string, ProviderIcons>
  /** The short text per account: `--text`, else the account's `format.text`, else the global one. */
  text?: TextTemplates
}

export interface TextTemplates {
  /** `--text`: wins over every config template. */
  override: Template | null
  global: Template | null
  /** By account key (`claude/work`). */
  byAccount: Record<string, Template>
}

/** A renderer's whole answer: exactly one line (json may be longer) and the exit code it implies. */
export interface Rendered {
  text: string
  exitCode: number
}

export type Renderer = (view: View, options: RenderOptions) => Rendered
