export * from './state.js'
export { readChain } from './state-log.js'
export { KeySet } from './hash.js'
