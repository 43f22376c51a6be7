import { Schema, model, type InferSchemaType } from 'mongoose';

export const USER_KINDS = ['guest'] as const;

const userSchema = new Schema(
  {
    kind: { type: String, required: true, enum: USER_KINDS, default: 'guest' },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export type UserDoc = InferSchemaType<typeof userSchema>;
export const User = model('User', userSchema);
