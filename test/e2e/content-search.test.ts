// IMAP SEARCH over messages delivered by the real MailService, on SQLite and PostgreSQL: every
// RFC 3501 search key and CONDSTORE's MODSEQ, NOT/OR nesting, internal dates (UTC) against Date
// headers, LARGER/SMALLER at their boundaries, BODY/TEXT finding words in base64 and
// quoted-printable parts, a UTF-8 subject sent in RFC 2047 form, keywords, sequence numbers of
// a session's view, small chunks, and the bounds on the criteria.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mailFixture, type MailFixture } from '../unit/mail-fixture.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { searchFolder, type FolderSearch } from '../../src/mail/content/search-query.ts';
import { InvalidSearch, type SearchKey } from '../../src/mail/content/search-criteria.ts';
import { sortFolder } from '../../src/mail/content/sort-folder.ts';
import { fetchSections } from '../../src/mail/content/message-sections.ts';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const MESSAGES = {
  // Written on 1 June in its own zone (-0700): 2 June in UTC. Received on 1 June, UTC.
  zeppelin: {
    raw: crlf([
      'From: Alice Liddell <alice@example.com>',
      'To: Bob <bob@org-a.example>',
      'Cc: carol@example.net',
      'Bcc: dave@example.org',
      'Subject: Quarterly report',
      'Date: Mon, 1 Jun 2026 23:30:00 -0700',
      'Message-ID: <zeppelin@example.com>',
      '',
      'The zeppelin lands at noon.',
      '',
    ]),
    receivedAt: new Date('2026-06-01T23:59:59Z'),
    flags: ['\\Seen', '$Forwarded'],
  },
  // A UTF-8 subject and sender name in RFC 2047 form; a word only in a base64 part.
  resume: {
    raw: crlf([
      'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>',
      'To: bob@org-a.example',
      `Subject: =?UTF-8?B?${b64('Résumé für Zoë')}?=`,
      'Date: Tue, 2 Jun 2026 08:00:00 +0200',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      b64('Please find the aardvark attached, Grüße.'),
      '--b1--',
      '',
    ]),
    receivedAt: new Date('2026-06-02T00:00:00Z'),
    flags: ['\\Answered', '\\Flagged'],
  },
  // No Date header; a word split by a quoted-printable soft line break in an HTML part.
  hippo: {
    raw: crlf([
      'From: carol@example.net',
      'To: Bob <bob@org-a.example>, erin@example.com',
      'Subject: Menu',
      'X-Priority: 1 (Highest)',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Caf=C3=A9 cr=C3=A8me with a hippo=',
      'potamus.</p>',
      '',
    ]),
    receivedAt: new Date('2026-05-31T12:00:00Z'),
    flags: ['\\Deleted', '\\Draft', 'Work'],
  },
  // The largest: a base64 attachment, whose bytes are not searchable text.
  reply: {
    raw: crlf([
      'From: Bob <bob@org-a.example>',
      'To: Alice Liddell <alice@example.com>',
      'Subject: Re: Quarterly report',
      'Date: Wed, 3 Jun 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b2"',
      '',
      '--b2',
      'Content-Type: text/plain',
      '',
      'Numbers attached.',
      '--b2',
      'Content-Type: application/octet-stream; name="numbers.bin"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment',
      '',
      b64('secretword '.repeat(40)),
      '--b2--',
      '',
    ]),
    receivedAt: new Date('2026-06-03T10:00:00Z'),
    flags: [],
  },
};
type Name = keyof typeof MESSAGES;
const ORDER: Name[] = ['zeppelin', 'resume', 'hippo', 'reply'];
const day = (text: string) => {
  const [year, month, dayOfMonth] = text.split('-').map(Number);
  return { year, month, day: dayOfMonth };
};

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`IMAP SEARCH over delivered messages (${engine})`, { skip: engine === 'postgres' && !(await postgresAvailable()) }, () => {
    let f: MailFixture;
    let scope: FolderSearch;
    const uidOf = new Map<Name, number>();
    const modseqOf = new Map<Name, number>();
    const nameOf = new Map<number, Name>();

    before(async () => {
      f = await mailFixture(engine);
      const reader = await f.user('reader');
      for (const name of ORDER) {
        const { raw, receivedAt, flags } = MESSAGES[name];
        const [delivered] = await f.mail.delivery.deliver({ raw, receivedAt }, [{ mailboxId: reader, folder: 'Inbox', flags }]);
        uidOf.set(name, delivered.uid);
        modseqOf.set(name, delivered.modseq);
        nameOf.set(delivered.uid, name);
      }
      const folder = await f.store.db.selectFrom('mail_folders').select('id').where('mailbox_id', '=', reader).where('name', '=', 'Inbox').executeTakeFirstOrThrow();
      // Chunks of two, so that every search crosses chunk boundaries.
      scope = { db: f.store.db, blobs: f.mail.blobs, search: f.mail.delivery.search, folderId: folder.id, chunkSize: 2 };
    });
    after(() => f.close());

    const search = async (key: SearchKey, extra: Partial<FolderSearch> = {}) => (await searchFolder({ ...scope, ...extra }, key)).map((uid) => nameOf.get(uid)!);
    const expect = async (key: SearchKey, names: Name[], extra?: Partial<FolderSearch>) =>
      assert.deepEqual(await search(key, extra), ORDER.filter((name) => names.includes(name)), JSON.stringify(key));

    test('flags and their negations', async () => {
      await expect({ type: 'ALL' }, ORDER);
      await expect({ type: 'SEEN' }, ['zeppelin']);
      await expect({ type: 'UNSEEN' }, ['resume', 'hippo', 'reply']);
      await expect({ type: 'ANSWERED' }, ['resume']);
      await expect({ type: 'UNANSWERED' }, ['zeppelin', 'hippo', 'reply']);
      await expect({ type: 'FLAGGED' }, ['resume']);
      await expect({ type: 'UNFLAGGED' }, ['zeppelin', 'hippo', 'reply']);
      await expect({ type: 'DELETED' }, ['hippo']);
      await expect({ type: 'UNDELETED' }, ['zeppelin', 'resume', 'reply']);
      await expect({ type: 'DRAFT' }, ['hippo']);
      await expect({ type: 'UNDRAFT' }, ['zeppelin', 'resume', 'reply']);
    });

    test('RECENT, NEW and OLD follow the session’s recent messages', async () => {
      const recent = new Set([uidOf.get('zeppelin')!, uidOf.get('reply')!]);
      await expect({ type: 'RECENT' }, ['zeppelin', 'reply'], { recent });
      await expect({ type: 'NEW' }, ['reply'], { recent });
      await expect({ type: 'OLD' }, ['resume', 'hippo'], { recent });
      await expect({ type: 'RECENT' }, []);
      await expect({ type: 'OLD' }, ORDER);
    });

    test('keywords, case-insensitively', async () => {
      await expect({ type: 'KEYWORD', keyword: '$Forwarded' }, ['zeppelin']);
      await expect({ type: 'KEYWORD', keyword: 'work' }, ['hippo']);
      await expect({ type: 'KEYWORD', keyword: 'Nothing' }, []);
      await expect({ type: 'UNKEYWORD', keyword: 'Work' }, ['zeppelin', 'resume', 'reply']);
    });

    test('internal dates by UTC day; SENT* by the Date header’s own day, the internal date without one', async () => {
      await expect({ type: 'ON', date: day('2026-06-01') }, ['zeppelin']);
      await expect({ type: 'ON', date: day('2026-06-02') }, ['resume']);
      await expect({ type: 'BEFORE', date: day('2026-06-02') }, ['zeppelin', 'hippo']);
      await expect({ type: 'SINCE', date: day('2026-06-02') }, ['resume', 'reply']);
      await expect({ type: 'SINCE', date: day('2026-06-04') }, []);
      await expect({ type: 'SENTON', date: day('2026-06-01') }, ['zeppelin']);
      await expect({ type: 'SENTON', date: day('2026-05-31') }, ['hippo']);
      await expect({ type: 'SENTBEFORE', date: day('2026-06-02') }, ['zeppelin', 'hippo']);
      await expect({ type: 'SENTSINCE', date: day('2026-06-02') }, ['resume', 'reply']);
      await expect({ type: 'SENTSINCE', date: day('2026-06-03') }, ['reply']);
    });

    test('LARGER and SMALLER are strict at the exact size', async () => {
      const size = MESSAGES.zeppelin.raw.length;
      const smaller = ORDER.filter((name) => MESSAGES[name].raw.length < size);
      const larger = ORDER.filter((name) => MESSAGES[name].raw.length > size);
      await expect({ type: 'LARGER', size }, larger);
      await expect({ type: 'LARGER', size: size - 1 }, [...larger, 'zeppelin']);
      await expect({ type: 'SMALLER', size }, smaller);
      await expect({ type: 'SMALLER', size: size + 1 }, [...smaller, 'zeppelin']);
      await expect({ type: 'LARGER', size: MESSAGES.reply.raw.length }, []);
    });

    test('addresses and subjects: substrings, case-insensitive, RFC 2047 decoded, matched by UTF-8 strings', async () => {
      await expect({ type: 'FROM', value: 'ALICE' }, ['zeppelin']);
      await expect({ type: 'FROM', value: 'bob@org-a' }, ['reply']);
      await expect({ type: 'FROM', value: 'jürgen müller' }, ['resume']);
      await expect({ type: 'TO', value: 'erin@' }, ['hippo']);
      await expect({ type: 'TO', value: 'bob' }, ['zeppelin', 'resume', 'hippo']);
      await expect({ type: 'CC', value: 'carol' }, ['zeppelin']);
      await expect({ type: 'BCC', value: 'dave@example.org' }, ['zeppelin']);
      await expect({ type: 'SUBJECT', value: 'quarterly' }, ['zeppelin', 'reply']);
      await expect({ type: 'SUBJECT', value: 'RÉSUMÉ FÜR' }, ['resume']);
      await expect({ type: 'SUBJECT', value: 'zoë' }, ['resume']);
      await expect({ type: 'SUBJECT', value: 'zoe' }, []);
      await expect({ type: 'SUBJECT', value: '' }, ORDER);
      // Strings across the fields the envelope keeps apart, and LIKE's own wildcards taken literally.
      await expect({ type: 'FROM', value: 'liddell <ALICE@example.c' }, ['zeppelin']);
      await expect({ type: 'TO', value: 'bob@org-a.example>, erin' }, ['hippo']);
      await expect({ type: 'SUBJECT', value: 'quarterly_report' }, []);
      await expect({ type: 'SUBJECT', value: 'q%y' }, []);
      await expect({ type: 'TEXT', value: '<zeppelin@example.com>' }, ['zeppelin']);
    });

    test('HEADER: any field by name, substring of its value, an empty string for its presence', async () => {
      await expect({ type: 'HEADER', field: 'x-priority', value: 'highest' }, ['hippo']);
      await expect({ type: 'HEADER', field: 'Message-ID', value: '' }, ['zeppelin']);
      await expect({ type: 'HEADER', field: 'Subject', value: 'für' }, ['resume']);
      await expect({ type: 'HEADER', field: 'X-Missing', value: '' }, []);
    });

    test('BODY and TEXT: words in base64 and quoted-printable parts, substrings confirmed, attachments not text', async () => {
      await expect({ type: 'BODY', value: 'aardvark' }, ['resume']);
      await expect({ type: 'BODY', value: 'GRÜSSE' }, []);
      await expect({ type: 'BODY', value: 'grüße' }, ['resume']);
      await expect({ type: 'BODY', value: 'hippopotamus' }, ['hippo']);
      await expect({ type: 'BODY', value: 'café crème' }, ['hippo']);
      await expect({ type: 'BODY', value: 'cafe' }, [], undefined);
      await expect({ type: 'BODY', value: 'zeppelin lands at no' }, ['zeppelin']);
      await expect({ type: 'BODY', value: 'lands noon' }, [], undefined);
      await expect({ type: 'BODY', value: 'secretword' }, []);
      await expect({ type: 'BODY', value: 'Quarterly' }, []);
      await expect({ type: 'TEXT', value: 'Quarterly' }, ['zeppelin', 'reply']);
      await expect({ type: 'TEXT', value: 'zeppelin' }, ['zeppelin']);
      await expect({ type: 'TEXT', value: 'juergen@' }, ['resume']);
      // No letters or digits: the index cannot help, every message is read.
      await expect({ type: 'BODY', value: '.</p>' }, []);
      await expect({ type: 'BODY', value: '.' }, ['zeppelin', 'resume', 'hippo', 'reply']);
    });

    test('UID and sequence sets (with *), MODSEQ', async () => {
      const [u1, u2, , u4] = ORDER.map((name) => uidOf.get(name)!);
      await expect({ type: 'UID', set: [{ from: u2, to: u2 }] }, ['resume']);
      await expect({ type: 'UID', set: [{ from: u4, to: u1 }] }, ORDER);
      await expect({ type: 'UID', set: [{ from: '*', to: '*' }] }, ['reply']);
      await expect({ type: 'UID', set: [{ from: u4 + 10, to: '*' }] }, ['reply']);
      await expect({ type: 'UID', set: [{ from: u4 + 10, to: u4 + 20 }] }, []);
      await expect({ type: 'MODSEQ', modseq: modseqOf.get('hippo')! }, ['hippo', 'reply']);
      // A session that has not seen the last delivery yet: three messages, 1..3.
      const view = [u1, u2, uidOf.get('hippo')!];
      await expect({ type: 'SEQUENCE', set: [{ from: 2, to: '*' }] }, ['resume', 'hippo'], { view });
      await expect({ type: 'SEQUENCE', set: [{ from: 1, to: 1 }, { from: 3, to: 3 }] }, ['zeppelin', 'hippo'], { view });
      await expect({ type: 'SEQUENCE', set: [{ from: 4, to: 9 }] }, [], { view });
      await expect({ type: 'ALL' }, ['zeppelin', 'resume', 'hippo'], { view });
      await expect({ type: 'UID', set: [{ from: '*', to: '*' }] }, ['hippo'], { view });
      await assert.rejects(searchFolder(scope, { type: 'SEQUENCE', set: [{ from: 1, to: 1 }] }), InvalidSearch);
    });

    test('NOT, OR and groups nest; keys SQL cannot answer mix with keys it can', async () => {
      await expect({ type: 'NOT', key: { type: 'SEEN' } }, ['resume', 'hippo', 'reply']);
      await expect({ type: 'OR', left: { type: 'SEEN' }, right: { type: 'DELETED' } }, ['zeppelin', 'hippo']);
      await expect({ type: 'AND', keys: [{ type: 'UNSEEN' }, { type: 'SUBJECT', value: 'report' }] }, ['reply']);
      await expect({ type: 'NOT', key: { type: 'OR', left: { type: 'BODY', value: 'aardvark' }, right: { type: 'FROM', value: 'carol' } } }, ['zeppelin', 'reply']);
      await expect(
        { type: 'OR', left: { type: 'AND', keys: [{ type: 'SEEN' }, { type: 'BODY', value: 'zeppelin' }] }, right: { type: 'NOT', key: { type: 'OR', left: { type: 'UNDELETED' }, right: { type: 'LARGER', size: 1 } } } },
        ['zeppelin'],
      );
      await expect({ type: 'NOT', key: { type: 'NOT', key: { type: 'TEXT', value: 'hippopotamus' } } }, ['hippo']);
      await expect({ type: 'AND', keys: [{ type: 'NOT', key: { type: 'KEYWORD', keyword: 'Work' } }, { type: 'OR', left: { type: 'HEADER', field: 'date', value: 'jun 2026' }, right: { type: 'ANSWERED' } }] }, [
        'zeppelin',
        'resume',
        'reply',
      ]);
      await expect({ type: 'AND', keys: [] }, ORDER);
    });

    test('SORT: the matching messages in order of the stored envelopes and columns', async () => {
      const names = async (uids: number[]) => uids.map((uid) => nameOf.get(uid));
      assert.deepEqual(await names(await sortFolder(scope, [{ key: 'SUBJECT' }], { type: 'ALL' })), ['hippo', 'zeppelin', 'reply', 'resume']);
      assert.deepEqual(await names(await sortFolder(scope, [{ key: 'ARRIVAL', reverse: true }], { type: 'UNDELETED' })), ['reply', 'resume', 'zeppelin']);
      assert.deepEqual(await names(await sortFolder(scope, [{ key: 'DISPLAYFROM' }], { type: 'ALL' })), ['zeppelin', 'reply', 'hippo', 'resume']);
      assert.deepEqual(await names(await sortFolder(scope, [{ key: 'SIZE' }], { type: 'BODY', value: 'nothing like this' })), []);
    });

    test('FETCH sections of a delivered message, from its blob and the structure stored at delivery', async () => {
      const sections = await fetchSections(f.store.db, f.mail.blobs, scope.folderId, uidOf.get('resume')!, [
        { part: [] },
        { part: [], specifier: 'HEADER.FIELDS', fields: ['subject'] },
        { part: [1], binary: true },
        { part: [1], specifier: 'MIME' },
        { part: [2] },
      ]);
      assert.ok(sections);
      assert.deepEqual(sections[0], MESSAGES.resume.raw);
      assert.equal(sections[1]!.toString(), `Subject: =?UTF-8?B?${b64('Résumé für Zoë')}?=\r\n\r\n`);
      assert.equal(sections[2]!.toString('utf8'), 'Please find the aardvark attached, Grüße.');
      assert.equal(sections[3]!.toString(), 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n');
      assert.equal(sections[4], null);
      assert.equal(await fetchSections(f.store.db, f.mail.blobs, scope.folderId, 999, [{ part: [] }]), null);
    });

    test('rows are read in chunks with a turn of the event loop between them', async () => {
      let turns = 0;
      let running = true;
      const spin = () => {
        if (!running) return;
        turns++;
        setImmediate(spin);
      };
      setImmediate(spin);
      assert.equal((await searchFolder({ ...scope, chunkSize: 1 }, { type: 'ALL' })).length, ORDER.length);
      running = false;
      assert.ok(turns >= ORDER.length - 1, `${turns} turns`);
    });

    test('criteria past the bounds are refused before any read', async () => {
      let deep: SearchKey = { type: 'ALL' };
      for (let i = 0; i < 40; i++) deep = { type: 'NOT', key: deep };
      await assert.rejects(searchFolder(scope, deep), InvalidSearch);
      const wide: SearchKey = { type: 'AND', keys: Array.from({ length: 2500 }, () => ({ type: 'SEEN' }) as SearchKey) };
      await assert.rejects(searchFolder(scope, wide), InvalidSearch);
      await assert.rejects(searchFolder(scope, { type: 'LARGER', size: -1 }), InvalidSearch);
    });
  });
}
