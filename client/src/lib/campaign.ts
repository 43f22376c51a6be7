/** The campaign's evidence, in its own order; figures stay in words the sources used. */
export const EVIDENCE = [
  {
    figure: 'About 10,000',
    text: 'tweets from UK accounts aggressively attacked someone as a “slut” or a “whore”, in just three weeks.',
    source: 'Demos',
  },
  {
    figure: 'Over half',
    text: 'of teachers report online abuse from pupils and from parents.',
    source: 'NASUWT, the largest UK teaching union',
  },
  {
    figure: 'Almost 4,000',
    text: 'calls for help in a single year, with cases involving children as young as 11.',
    source: 'Revenge Porn Helpline',
  },
  {
    figure: '6 of the 10',
    text: 'regular writers who received the most abuse were non-white.',
    source: 'The Guardian, “The Web We Want”',
  },
  {
    figure: 'Most',
    text: 'Islamophobic attacks reported to Tell MAMA are carried out online.',
    source: 'Tell MAMA',
  },
  {
    figure: '159',
    text: 'antisemitic incidents on social media were reported in one year.',
    source: 'Community Security Trust',
  },
] as const;

export const SUPPORTERS = [
  'Fawcett',
  'Demos',
  'EVAW',
  'Imkaan',
  'Twitter',
  'TellMAMA',
  'Facebook',
  'Stonewall',
  'Google',
  'TUC',
  "Women's Aid",
] as const;
