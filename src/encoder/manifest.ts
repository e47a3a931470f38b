import { z } from 'zod';

/**
 * A model manifest (`imove-model/1`) says how to feed an ONNX encoder and read it back, so the
 * runtime needs no knowledge of any one network. Shipped models and users' own use the same shape.
 */
const triple = z.tuple([z.number(), z.number(), z.number()]);

export const modelManifestSchema = z.object({
  format: z.literal('imove-model/1'),
  id: z.string().min(1).regex(/^[\w.-]+$/, 'letters, digits, ".", "_" or "-" only'),
  name: z.string().min(1),
  /** ONNX file, relative to the manifest. */
  file: z.string().min(1),
  licence: z.string().optional(),
  source: z.string().optional(),
  input: z.object({
    name: z.string().min(1),
    layout: z.enum(['NCHW', 'NHWC']),
    /** Fixed input size; with `keepAspect` the long side is this and the other follows the video. */
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    /** Present when the network takes any size that is a multiple of `multiple` (fully convolutional). */
    keepAspect: z.object({ multiple: z.number().int().positive() }).optional(),
    channels: z.enum(['RGB', 'BGR']),
    /** Pixel values are divided by this (255: to [0, 1]; 1: raw 0–255) before mean/std. */
    range: z.number().positive(),
    mean: triple,
    std: triple.refine((s) => s.every((v) => v > 0), 'std must be > 0'),
  }),
  outputs: z.object({
    /** A global embedding: [1, size] (or [1, size, 1, 1]). */
    embedding: z.object({ name: z.string().min(1), size: z.number().int().positive() }),
    /** A dense feature map [1, channels, H/stride, W/stride], for box propagation and camera motion. */
    features: z.object({ name: z.string().min(1), channels: z.number().int().positive(), stride: z.number().int().positive() }).optional(),
  }),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
