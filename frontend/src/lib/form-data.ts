/** A text field of a submitted form, or '' when absent (so the contract schema reports it). */
export function readText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}
