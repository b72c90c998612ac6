import type { Child } from 'hono/jsx';

const ids = (list: unknown) =>
  Array.isArray(list) ? list.map((i: { kind?: string; value?: string }) => `${i.kind}: ${i.value}`).join(', ') : '';

/** One contact-log entry in words: what happened and, for a refusal, why. */
export function LogSummary(props: { type: string; details: Record<string, unknown> }): Child {
  const d = props.details;
  switch (props.type) {
    case 'created':
      return `Profile created (via ${d.via ?? 'unknown'})`;
    case 'identifier_added':
      return `${d.kind} added: ${d.value ?? ''}`;
    case 'identifier_replaced':
      return `${d.kind} replaced: ${d.old ?? '?'} → ${d.new ?? '?'}`;
    case 'merged':
      return d.role === 'merged' ? `Merged into ${d.survivorId}` : `Merged ${d.mergedId} into this profile`;
    case 'merge_refused':
      return `Merge refused (${d.reason ?? 'no reason'})${ids(d.identifiers) ? ` on ${ids(d.identifiers)}` : ''}`;
    case 'claim_refused':
      return `Claim refused (${d.reason ?? 'no reason'})${d.field ? ` on ${d.field}` : ''}`;
    case 'unmerged':
      return `Unmerged: ${d.restoredId ?? d.mergedId ?? ''} restored`;
    case 'suppression_changed':
      // A lift says who lifted it on what evidence (SPEC §4: only a recorded re-opt-in lifts).
      if (d.action === 'lifted')
        return `Suppression lifted: ${d.channel ?? ''} ${d.address ?? ''} by ${d.by ?? '?'} on evidence from ${d.source ?? '?'}`;
      return `Suppression changed: ${d.channel ?? ''} ${d.address ?? ''} ${d.reason ?? ''}`;
    case 'imported':
      return `Imported (row ${d.row ?? '?'}, ${d.outcome ?? ''})`;
    case 'deleted':
      return 'Deleted';
    default:
      return props.type.replaceAll('_', ' ');
  }
}
