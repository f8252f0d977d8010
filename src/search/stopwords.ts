/**
 * English and French function words, dropped from the long "more like this" queries the
 * ranker builds from a whole profile or job description.
 *
 * Why: the indexed text fields are analysed without stop words (the `folded` analyser, so a
 * phrase search keeps every word), and a query made of a person's summary is full of "de",
 * "et", "the", "and"… Each of those matches most documents, so the engine scores a large
 * share of the index for words that carry almost no weight. Dropping them before the query
 * is sent cut the text retrieval leg from ~28 to ~20 ms of engine time per request at
 * 100,000 opportunities (bench/recommend); on the O*NET evaluation the full ranking moved by
 * less than ±0.01 nDCG@10 and the BM25-only baseline rose. Done client-side so it works the same on OpenSearch and Elasticsearch and
 * needs no index rebuild.
 */

// Lucene's English stop set plus common pronouns and auxiliaries; the French list is taken
// from Snowball's, accent-folded (words are compared folded).
const ENGLISH = `a an and are as at be but by for if in into is it no not of on or such that the their then there these
they this to was will with i me my we our you your he she his her its from have has had been were do does did so than
too very can just about over after before also am being which who whom what when where while would should could`;
const FRENCH = `au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me meme mes moi mon ne
nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y
ete etee etees etes etant suis es est sommes sont serai sera seront serais serait etais etait etions etaient fus fut
ai as avons avez ont aurai aura avais avait avions aviez avaient eu eue eus cette cet ca plus tres tout tous toute toutes
comme ainsi donc car si sans sous chez entre vers dont`;

const STOP_WORDS = new Set(`${ENGLISH} ${FRENCH}`.split(/\s+/).filter(Boolean));

const fold = (word: string) => word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The text's words without English and French stop words, joined by spaces (punctuation dropped). */
export function withoutStopWords(text: string): string {
  return text
    .split(/[^\p{L}\p{N}'’&+#.-]+/u)
    .map((word) => word.replace(/^[.'’-]+|[.'’-]+$/g, ''))
    .filter((word) => word.length > 0 && !STOP_WORDS.has(fold(word)))
    .join(' ');
}
