import { REPORTS_TO_HIDE } from '../../realtime/vocabulary.js';

/**
 * When reports take an item down before staff look: the one rule for ideas and comments alike. Abuse
 * on a projector does harm within minutes, so enough people's reports act at once; staff who cleared
 * an item have the last word, and reports alone no longer take it down.
 */
export function reportsTakeDown(reports: number, clearedByStaff: boolean): boolean {
  return !clearedByStaff && reports >= REPORTS_TO_HIDE;
}
