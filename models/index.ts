export { Area, AREA_SEED } from './area.js';
export { Idea } from './idea.js';
export { Vote } from './vote.js';
export { User } from './user.js';
export { Session } from './session.js';
export { Report } from './report.js';
export { Setting, BOARD_SETTINGS_ID } from './setting.js';
export { LiveSession, LiveEvent } from './live.js';
