import { z } from 'zod'
import type { ErrorInfo } from '../../model.js'

/**
 * `POST v1internal:loadCodeAssist` (providers spec §2.3): the tier (plan label) and the Cloud
 * project whose quota retrieveUserQuota reports. Also where Google's 2026-06-18 cut-off of
 * consumer accounts shows up (§2.0).
 */

const tierSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  userDefinedCloudaicompanionProject: z.boolean().nullish(),
})

// Some servers send the project as `{id}` / `{projectId}` instead of a string (CodexBar).
const projectSchema = z
  .union([z.string(), z.object({ id: z.string().nullish(), projectId: z.string().nullish() })])
  .nullish()

export const loadSchema = z.object({
  currentTier: tierSchema.nullish(),
  paidTier: tierSchema.nullish(),
  ineligibleTiers: z
    .array(z.object({ reasonCode: z.string().nullish(), reasonMessage: z.string().nullish() }))
    .nullish(),
  cloudaicompanionProject: projectSchema,
})

export type LoadCodeAssist = z.output<typeof loadSchema>

export const SHUTDOWN_MESSAGE =
  'Google no longer serves Gemini CLI to Google AI Pro/Ultra and free "Code Assist for individuals" accounts (cut off on 2026-06-18)'
export const SHUTDOWN_FIX =
  "move to Antigravity, Google's replacement for consumer accounts, and disable this account in quotabar; Workspace and Standard/Enterprise licences keep working with `gemini`"

/** CodexBar `isConsumerTierDeprecationSignal`: the texts Google answers consumer logins with. */
export function isShutdownSignal(text: string | null | undefined): boolean {
  return /UNSUPPORTED_CLIENT|IneligibleTierError|no longer supported.*Gemini Code Assist|migrate.*Antigravity/i.test(
    text ?? '',
  )
}

/** loadCodeAssist's request: the configured project, if any, rides along as gemini-cli sends it. */
export function loadRequest(project: string | null) {
  return {
    cloudaicompanionProject: project ?? undefined,
    metadata: {
      ideType: 'IDE_UNSPECIFIED',
      platform: 'PLATFORM_UNSPECIFIED',
      pluginType: 'GEMINI',
      duetProject: project ?? undefined,
    },
  }
}

/** CodexBar `resolveAccountPlan`: paidTier.name, else a label from the tier id. */
export function planLabel(load: LoadCodeAssist, hostedDomain: string | null): string | null {
  if (load.paidTier?.name) return load.paidTier.name
  switch (load.currentTier?.id) {
    case 'standard-tier':
      return 'Paid'
    case 'free-tier':
      return hostedDomain ? 'Workspace' : 'Free'
    case 'legacy-tier':
      return 'Legacy'
    default:
      return load.currentTier?.name ?? null
  }
}

const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 200)

const refuse = (kind: ErrorInfo['kind'], message: string, fix: string): ErrorInfo => ({
  kind,
  message,
  fix,
  httpStatus: null,
})

function ineligible(load: LoadCodeAssist, run: string): ErrorInfo {
  const reasons = load.ineligibleTiers ?? []
  if (reasons.some((r) => r.reasonCode === 'UNSUPPORTED_CLIENT' || isShutdownSignal(r.reasonMessage))) {
    return refuse('forbidden', SHUTDOWN_MESSAGE, SHUTDOWN_FIX)
  }
  const first = reasons[0]
  if (!first) {
    return refuse(
      'forbidden',
      'this Google account is not set up for Gemini Code Assist (no current tier)',
      `${run} once and finish its setup; consumer accounts were cut off on 2026-06-18 (use Antigravity)`,
    )
  }
  const code = first.reasonCode ?? 'UNKNOWN'
  const why = first.reasonMessage ? `${clean(first.reasonMessage)} (${code})` : code
  const fix =
    code === 'VALIDATION_REQUIRED'
      ? `${run} and complete the verification Google asks for`
      : /LOCATION|RESTRICTED|INELIGIBLE|NON_USER|DASHER/.test(code)
        ? 'Gemini Code Assist is not offered to this account; disable it in quotabar'
        : `${run} to see what Google needs`
  return refuse('forbidden', `Google says this account cannot use Gemini Code Assist: ${why}`, fix)
}

function projectOf(load: LoadCodeAssist): string | null {
  const p = load.cloudaicompanionProject
  const id = typeof p === 'string' ? p : (p?.id ?? p?.projectId)
  return id?.trim() || null
}

export type Resolved = { ok: true; project: string } | { ok: false; error: ErrorInfo }

/**
 * The project to ask for quota: loadCodeAssist's answer first, then the configured one (as
 * gemini-cli `setupUser` does). No current tier means not onboarded or cut off (§2.0).
 */
export function resolveProject(load: LoadCodeAssist, configured: string | null, run: string): Resolved {
  if (!load.currentTier) return { ok: false, error: ineligible(load, run) }
  const project = projectOf(load) ?? configured
  if (project) return { ok: true, project }
  const ownProject =
    load.currentTier.userDefinedCloudaicompanionProject === true || load.currentTier.id === 'standard-tier'
  return {
    ok: false,
    error: refuse(
      'config',
      'Gemini Code Assist gave this login no Google Cloud project, so there is no quota to read',
      ownProject
        ? "set `project` for this account in quotabar's config.json (or export GOOGLE_CLOUD_PROJECT) to the project that holds your Gemini Code Assist licence"
        : `${run} once so it finishes setting up this account, or set \`project\` for it in quotabar's config.json`,
    ),
  }
}
