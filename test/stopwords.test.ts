import { expect } from 'chai';
import { withoutStopWords } from '../src/search/stopwords.js';

describe('withoutStopWords (the ranker\'s long text queries)', () => {
  it('drops English and French function words, accents or not, in any case', () => {
    expect(withoutStopWords('The forklift operator and the warehouse')).to.equal('forklift operator warehouse');
    expect(withoutStopWords("J'ai travaillé dans la logistique et été chef d'équipe")).to.equal("J'ai travaillé logistique chef d'équipe");
    expect(withoutStopWords('Était-ce DE la SANTÉ et sécurité au travail')).to.equal('Était-ce SANTÉ sécurité travail');
  });

  it('keeps technical words whole and drops punctuation', () => {
    expect(withoutStopWords('C++, C#, .NET and Node.js; HR Business Partner.')).to.equal('C++ C# NET Node.js HR Business Partner');
  });

  it('gives an empty query for text made only of stop words', () => {
    expect(withoutStopWords('de la, et the and of… ')).to.equal('');
  });
});
