import { estimateMessageTokens, estimateTokens } from './pedagogy/token-estimate.js';
import type { LlmMessage, TokenUsage } from './types.js';

/**
 * What a call is billed when the vendor's own count did not arrive in full: a stopped OpenAI
 * stream (usage only comes in the last chunk), a stopped Anthropic stream (message_start counts
 * one output token; the running count comes in message_delta at the end), a timed-out
 * classification (no response at all). The vendor still charges for what it read and wrote, so
 * recording 0 would let allowances and the budget leak.
 */

export interface BilledUsage {
  usage: TokenUsage;
  /** True when any part of `usage` is our estimate rather than the vendor's count. */
  isEstimate: boolean;
}

/** Estimated input tokens of a request: the system prompt and every message. */
export function estimateRequestTokens(request: { system: string; messages: LlmMessage[] }) {
  return (
    estimateTokens(request.system) +
    request.messages.reduce((sum, message) => sum + estimateMessageTokens(message), 0)
  );
}

/**
 * The vendor's count when the call completed and the vendor sent one; otherwise each part is the
 * vendor's figure when it has one that is at least our estimate, else the estimate (input from
 * the request, output from the text received), flagged.
 */
export function billedUsage(
  vendor: TokenUsage | undefined,
  estimate: TokenUsage,
  isComplete: boolean,
): BilledUsage {
  if (vendor && isComplete && vendor.inputTokens > 0) return { usage: vendor, isEstimate: false };
  const inputTokens = vendor && vendor.inputTokens > 0 ? vendor.inputTokens : estimate.inputTokens;
  const outputTokens = Math.max(vendor?.outputTokens ?? 0, estimate.outputTokens);
  const isEstimate =
    !vendor || vendor.inputTokens !== inputTokens || vendor.outputTokens !== outputTokens;
  return { usage: { inputTokens, outputTokens }, isEstimate };
}

/**
 * A call the vendor refused (an HTTP error status, a connection that never opened) read
 * nothing and costs nothing; anything that got further may have been billed.
 */
export function wasRefused(error: { kind: string; options: { status?: number } } | undefined) {
  return error !== undefined && (error.options.status !== undefined || error.kind === 'connection');
}
