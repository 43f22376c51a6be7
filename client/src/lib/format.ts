// Fixed locale and zone: the server and the browser must print the same text, or hydration
// would leave the server's wording next to the browser's. The campaign is UK-based.
const when = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

export const formatWhen = (iso: string) => when.format(new Date(iso));

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
