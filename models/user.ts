import { Schema, model } from 'mongoose';

const userSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['guest'], default: 'guest' },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const User = model('User', userSchema);
