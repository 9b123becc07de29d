import { syntaxProblems } from './hcl';

describe('syntaxProblems', () => {
  it('splits several hcl2json diagnostics into one line each, with line and column', () => {
    const message =
      'parse config: [environments/dev.tfvars:1,7-2,1: Invalid multi-line string; Quoted strings may not be split over multiple lines. ' +
      'environments/dev.tfvars:2,6-3,1: Unterminated template string; No closing marker was found for the string.]';
    expect(syntaxProblems('environments/dev.tfvars', message)).toEqual([
      'environments/dev.tfvars:1:7: syntax error: Invalid multi-line string; Quoted strings may not be split over multiple lines.',
      'environments/dev.tfvars:2:6: syntax error: Unterminated template string; No closing marker was found for the string.',
    ]);
  });

  it('keeps an unrecognised message whole, still naming the file', () => {
    expect(syntaxProblems('environments/dev.tfvars', 'wasm failed')).toEqual(['environments/dev.tfvars: syntax error: wasm failed']);
  });
});
