import { modelManifestSchema, type ModelManifest } from '../encoder/manifest';
import { ErrorSink, fileLabel, FormatError } from './errors';
import { checkFormatTag, errorMap, readRecords, reportIssues } from './jsonInput';

export const MODEL_FORMAT = 'imove-model/1';

/**
 * Parse an encoder model manifest (a user's own, or a shipped one).
 * @throws FormatError naming the file, line and JSON path
 */
export function parseModelManifestText(text: string, file: string): ModelManifest {
  const label = fileLabel(file);
  const sink = new ErrorSink(label);
  const records = readRecords(text, file, sink, 'json');
  const fail = (): never => {
    throw sink.toError() ?? new FormatError({ file: label, path: '$', detail: 'the model manifest is empty' });
  };
  const rec = records[0];
  if (!rec || rec.prefix.length) {
    if (rec) sink.add([], `expected a model manifest object {"format": "${MODEL_FORMAT}", …}, got an array`, rec.source);
    return fail();
  }
  if (!checkFormatTag(sink, rec, MODEL_FORMAT, 'an encoder model manifest')) return fail();
  const parsed = modelManifestSchema.safeParse(rec.value, { error: errorMap });
  if (!parsed.success) {
    reportIssues(sink, rec, parsed.error);
    return fail();
  }
  const m = parsed.data;
  const k = m.input.keepAspect?.multiple;
  if (k && (m.input.width % k || m.input.height % k)) sink.add(['input', 'width'], `width and height must be multiples of keepAspect.multiple (${k})`, rec.source);
  if (m.outputs.features && m.outputs.features.name === m.outputs.embedding.name) sink.add(['outputs', 'features', 'name'], 'the feature map and the embedding must be different outputs', rec.source);
  if (sink.count) return fail();
  return m;
}
