/**
 * A new idea's form post redirects with `?posted=`: the idea's id once it is on the board, or this
 * while a facilitator holds it. The page confirms from it, with or without JavaScript.
 */
export const HELD_FOR_REVIEW = 'review';

export const ON_THE_BOARD = 'Thank you, your idea is on the board.';
