import { redirect } from '@sveltejs/kit';
import { normaliseCode } from '$lib/join-code';
import { raise, run } from '$lib/server/commands';
import { joinQrSvg } from '$lib/server/qr';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const code = normaliseCode(event.params.code)!;
  if (code !== event.params.code) redirect(308, `/screen/${code}`);
  const [snapshot, areas] = await Promise.all([run(event, 'live:get', { code }), run(event, 'areas:list')]).catch(raise);
  const joinUrl = `${event.url.origin}${snapshot.session.joinPath}`;
  return {
    snapshot,
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
    joinUrl,
    // Shown without the scheme: shorter to read off a wall, and every browser adds it back.
    joinAt: `${event.url.host}/join`,
    qr: await joinQrSvg(joinUrl),
    /** The server's clock, so the countdown on the wall agrees with the phones'. */
    now: Date.now(),
  };
};
