import type { ScreenAction } from '../../realtime/vocabulary.js';

/**
 * What the built-in English word list (obscenity's `englishDataset`) does on this board, word by word,
 * until staff change it. Our choice, for a campaign against online abuse, whose own people must be
 * able to say what was said to them:
 *
 * - `hold`: words people use about themselves or quote from abuse aimed at them — slurs communities
 *   reclaim (dyke, fag, tranny, the n-word), words thrown at women (bitch, slut, whore, hooker), at
 *   disabled people (retard, spastic) and racial and ethnic slurs a target quotes. Refusing them would
 *   tell a target to reword what happened to them; publishing them unread could carry the abuse itself.
 *   A moderator reads the post first: never `rephrase`.
 * - `hold` too for words naming the harm the campaign is about (rape, porn, incest) and clinical
 *   words for the body, which posts about image-based abuse and cyberflashing need.
 * - `allow`: "sex" (whole word only: sex education, sex offenders), needed too often to hold.
 * - `rephrase`: swearing and sexual vulgarity: an idea loses nothing reworded without them.
 */
export const BASELINE_ACTIONS: Record<string, ScreenAction> = {
  // Reclaimed, or quoted by the people they were aimed at.
  abeed: 'hold',
  abo: 'hold',
  africoon: 'hold',
  arabush: 'hold',
  bitch: 'hold',
  boonga: 'hold',
  chingchong: 'hold',
  chink: 'hold',
  dyke: 'hold',
  fag: 'hold',
  hooker: 'hold',
  kike: 'hold',
  negro: 'hold',
  nigger: 'hold',
  retard: 'hold',
  slut: 'hold',
  spastic: 'hold',
  tranny: 'hold',
  whore: 'hold',
  // The campaign's subject, and the body in plain words.
  anus: 'hold',
  ejaculate: 'hold',
  incest: 'hold',
  masturbate: 'hold',
  orgasm: 'hold',
  penis: 'hold',
  porn: 'hold',
  rape: 'hold',
  semen: 'hold',
  vagina: 'hold',
  sex: 'allow',
};

/** Every other word of the built-in list. */
export const BASELINE_DEFAULT: ScreenAction = 'rephrase';
