import { Schema, model } from 'mongoose';

/** An organisation behind the campaign; members may be confirmed as speaking for one. */
const organisationSchema = new Schema(
  {
    slug: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    about: { type: String, required: true },
    website: { type: String, default: null },
    position: { type: Number, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const Organisation = model('Organisation', organisationSchema);

/** The campaign's supporters, as it lists them. */
export const ORGANISATION_SEED: { slug: string; name: string; about: string; website: string | null }[] = [
  { slug: 'fawcett', name: 'Fawcett Society', about: "The UK's leading charity campaigning for gender equality and women's rights.", website: null },
  { slug: 'demos', name: 'Demos', about: 'A cross-party think tank whose research counted misogynistic abuse on Twitter.', website: null },
  { slug: 'evaw', name: 'End Violence Against Women Coalition', about: 'A coalition of specialist women’s organisations, experts and campaigners.', website: null },
  { slug: 'imkaan', name: 'Imkaan', about: 'A women’s organisation addressing violence against Black and minoritised women and girls.', website: null },
  { slug: 'twitter', name: 'Twitter', about: 'A social media platform where much of the abuse the campaign documents takes place.', website: null },
  { slug: 'tellmama', name: 'Tell MAMA', about: 'Measures and supports people facing anti-Muslim hatred, most of it reported online.', website: null },
  { slug: 'facebook', name: 'Facebook', about: 'A social media platform with its own rules and reporting tools against abuse.', website: null },
  { slug: 'stonewall', name: 'Stonewall', about: 'Campaigns for the equality of lesbian, gay, bi and trans people.', website: null },
  { slug: 'google', name: 'Google', about: 'The search and video company whose services carry people’s words to the world.', website: null },
  { slug: 'tuc', name: 'TUC', about: 'The Trades Union Congress, bringing together the unions of working people.', website: null },
  { slug: 'womens-aid', name: "Women's Aid", about: 'The national charity working to end domestic abuse against women and children.', website: null },
];
