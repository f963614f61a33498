import { describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/core/ids.js';

describe('global ids', () => {
  it('round-trip kind, source and key, including keys with separators', () => {
    const id = encodeId('TimeEntry', 'LAUREL', '5f1e0c0a9b8f1c8e63910001/5f1e0c0a9b8f1c8e63910002');
    expect(decodeId(id)).toEqual({ kind: 'TimeEntry', source: 'LAUREL', key: '5f1e0c0a9b8f1c8e63910001/5f1e0c0a9b8f1c8e63910002' });
    expect(decodeId(encodeId('Person', 'XURRENT', '7'))).toEqual({ kind: 'Person', source: 'XURRENT', key: '7' });
  });

  it('rejects what is not one of ours', () => {
    expect(decodeId('!!')).toBeNull();
    expect(decodeId(Buffer.from('TimeEntry:jira:1').toString('base64url'))).toBeNull();
    expect(decodeId(Buffer.from('Invoice:XURRENT:1').toString('base64url'))).toBeNull();
    expect(decodeId(Buffer.from('TimeEntry:XURRENT:').toString('base64url'))).toBeNull();
  });
});
