// The submission listeners: mail clients of the organizations' users sending mail, as on
// WorkMail's smtp.mail.<region>.awsapps.com. Two doors with one behaviour: implicit TLS
// (--smtps-port, 465, RFC 8314) and STARTTLS (--submission-port, 587, RFC 6409). AUTH PLAIN and
// LOGIN (RFC 4954) only, only over TLS: before STARTTLS, EHLO does not announce AUTH and AUTH
// gets 538 5.7.11; MAIL before AUTH gets 530 5.7.0. The user's mailbox password is checked by
// workmail/mail-login.ts (throttle, disabled users, access control rules); who the user may send
// as by workmail/send-as.ts, at MAIL FROM and again at DATA for the From and Sender fields.
// Recipients may be anywhere: authenticated users relay.
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerAuthenticationResponse, type SMTPServerSession } from 'smtp-server';
import type { Reader } from '../store/database.ts';
import type { DeliveryTarget, MailDelivery } from '../mail/delivery.ts';
import type { OutboundQueue } from '../mail/outbound.ts';
import { routeRecipient } from '../mail/submit.ts';
import type { MailLogin, MailUser } from '../workmail/mail-login.ts';
import { maySendAs } from '../workmail/send-as.ts';
import type { TlsCertificate } from '../tls/certificate.ts';
import { logEvent, type Logger } from '../log/logger.ts';
import type { ReplyFilter } from './connection.ts';
import { DEFAULT_SMTP_LIMITS, type SmtpLimits } from './limits.ts';
import { adaptEveryConnection, commonServerOptions, listen, sessionsPerIpGuard, transactionsByEnvelope, type Listening } from './listener.ts';
import { REPLIES, replyError, replyText, type SmtpReply } from './replies.ts';
import { newSubmissionTransaction, takeSubmission, type SubmissionTransaction } from './submission-intake.ts';

export interface SubmissionOptions {
  host: string;
  /** Implicit TLS (465); not opened when undefined. */
  smtpsPort?: number;
  /** STARTTLS (587); not opened when undefined. */
  submissionPort?: number;
  certificate: TlsCertificate;
  db: Reader;
  delivery: MailDelivery;
  outbound: OutboundQueue;
  login: MailLogin;
  /** This server's host name: greeting and Received. */
  hostName: string;
  limits?: Partial<SmtpLimits>;
  logger: Logger;
  now?: () => Date;
}

export interface SubmissionEndpoint {
  /** smtps://host:port or smtp://host:port, with the port the system gave for 0. */
  endpoint: string;
  port: number;
}

export interface SubmissionListeners {
  smtps: SubmissionEndpoint | undefined;
  submission: SubmissionEndpoint | undefined;
  /** New sessions get this certificate; open ones keep theirs. */
  setCertificate(certificate: TlsCertificate): void;
  close(): Promise<void>;
}

export async function startSubmissionListeners(options: SubmissionOptions): Promise<SubmissionListeners> {
  const opened: Listening[] = [];
  try {
    const smtps = options.smtpsPort === undefined ? undefined : await startOne(options, options.smtpsPort, true);
    if (smtps) opened.push(smtps);
    const submission = options.submissionPort === undefined ? undefined : await startOne(options, options.submissionPort, false);
    if (submission) opened.push(submission);
    return {
      smtps: smtps && { endpoint: smtps.endpoint, port: smtps.port },
      submission: submission && { endpoint: submission.endpoint, port: submission.port },
      setCertificate(certificate) {
        for (const listener of opened) listener.setCertificate(certificate);
      },
      close: async () => {
        await Promise.all(opened.map((listener) => listener.close()));
      },
    };
  } catch (error) {
    await Promise.all(opened.map((listener) => listener.close()));
    throw error;
  }
}

/**
 * smtp-server announces AUTH in EHLO before TLS and answers AUTH there with its own 538; RFC
 * 4954 section 4 wants the mechanism hidden until the channel is encrypted, and words 538 so.
 */
const submissionReplies: ReplyFilter = (code, data, secure) => {
  if (code === 538) return replyText(REPLIES.encryptionRequired());
  if (code === 250 && !secure && Array.isArray(data)) return data.filter((line) => !/^AUTH\b/i.test(line));
  return data;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function startOne(options: SubmissionOptions, port: number, implicitTls: boolean): Promise<Listening> {
  const limits: SmtpLimits = { ...DEFAULT_SMTP_LIMITS, ...options.limits };
  const now = options.now ?? (() => new Date());
  const { db, logger } = options;
  const transactionOf = transactionsByEnvelope<SubmissionTransaction>(newSubmissionTransaction);
  const userOf = (session: SMTPServerSession) => session.user as unknown as MailUser;
  const refuse = (r: SmtpReply) => replyError(r);

  const server = new SMTPServer({
    ...commonServerOptions({ hostName: options.hostName, certificate: options.certificate, limits }),
    ...sessionsPerIpGuard(limits),
    secure: implicitTls,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: false,
    allowInsecureAuth: false,
    authRequiredMessage: replyText(REPLIES.authRequired()),
    onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, callback: (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void) {
      // smtp-server refuses AUTH in clear itself (538); this is a second net, not the first.
      if (!session.secure) return callback(refuse(REPLIES.encryptionRequired()));
      const email = auth.username ?? '';
      // RFC 4616: an authorization identity other than the authentication identity asks to act
      // as someone else; that is what SEND_AS is for, not AUTH, so it is refused outright.
      const authzid = (auth as { authzid?: string }).authzid ?? '';
      if (authzid !== '' && authzid.toLowerCase() !== email.toLowerCase()) {
        logEvent(logger, 'submission.auth_failed', { session: session.id, ip: session.remoteAddress, email, method: auth.method, reason: 'authzid' }, 'warn');
        return callback(refuse(REPLIES.authInvalid()));
      }
      const request = { email, password: auth.password ?? '', sourceIp: session.remoteAddress, action: 'SMTP' as const };
      options.login.login(request, now()).then(
        async (result) => {
          if (result.ok) {
            logEvent(logger, 'submission.auth_succeeded', { session: session.id, ip: session.remoteAddress, userId: result.user.userId, method: auth.method });
            return callback(null, { user: result.user as unknown as string });
          }
          logEvent(logger, 'submission.auth_failed', { session: session.id, ip: session.remoteAddress, email, method: auth.method, reason: result.reason }, 'warn');
          if (result.reason === 'throttled') return callback(refuse(REPLIES.authThrottled(Math.ceil((result.retryAfterMs ?? 0) / 1000))));
          // The throttle's delay: each failure from this address makes the next answer slower.
          await sleep(result.delayMs);
          callback(refuse(REPLIES.authInvalid()));
        },
        (error: Error) => {
          logEvent(logger, 'submission.failed', { session: session.id, stage: 'auth', error: error.message }, 'error');
          callback(refuse(REPLIES.authUnavailable()));
        },
      );
    },
    onMailFrom(address, session, callback) {
      const sender = address.address;
      if (sender === '') return callback(refuse(REPLIES.nullSenderRefused()));
      maySendAs(db, userOf(session), sender).then(
        (decision) => {
          if (decision.allowed) return callback();
          logEvent(logger, 'submission.refused', { session: session.id, userId: userOf(session).userId, sender, why: `mail-from-${decision.reason}` }, 'warn');
          callback(refuse(REPLIES.senderNotAllowed(sender)));
        },
        () => callback(refuse(REPLIES.senderLookupFailed())),
      );
    },
    onRcptTo(address, session, callback) {
      routeTo(options.delivery, db, transactionOf(session), address.address).then(
        (refusal) => callback(refusal ? refuse(refusal) : undefined),
        () => callback(refuse(REPLIES.lookupFailed())),
      );
    },
    onData(stream, session, callback) {
      const user = userOf(session);
      const envelope = {
        sessionId: session.id,
        ip: session.remoteAddress,
        helo: session.hostNameAppearsAs || session.remoteAddress,
        protocol: session.transmissionType,
        sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        user,
      };
      takeSubmission({ db, delivery: options.delivery, outbound: options.outbound, hostName: options.hostName, limits, now }, stream, envelope, transactionOf(session)).then(
        (outcome) => {
          if (outcome.accepted) {
            logEvent(logger, 'submission.accepted', { session: session.id, userId: user.userId, recipients: envelope.recipients.length, queueId: outcome.queueId, filed: outcome.filed });
            return callback(null, replyText(outcome.reply));
          }
          logEvent(logger, 'submission.refused', { session: session.id, userId: user.userId, code: outcome.reply.code, enhanced: outcome.reply.enhanced, why: outcome.why }, 'warn');
          callback(refuse(outcome.reply));
        },
        (error: Error) => {
          logEvent(logger, 'submission.failed', { session: session.id, stage: 'data', error: error.message }, 'error');
          callback(refuse({ code: 451, enhanced: '4.3.0', text: 'Local error in processing; the message was not accepted, try again later' }));
        },
      );
    },
  });
  adaptEveryConnection(server, limits, submissionReplies);
  return listen(
    server,
    { host: options.host, port, scheme: implicitTls ? 'smtps' : 'smtp', option: implicitTls ? '--smtps-port' : '--submission-port' },
    logger,
  );
}

/**
 * RCPT on submission: a local address must exist and have room (as on the MX: a group's full
 * members miss the message, the others get it); any other address is queued for delivery out.
 */
async function routeTo(delivery: MailDelivery, db: Reader, transaction: SubmissionTransaction, address: string): Promise<SmtpReply | undefined> {
  const route = await routeRecipient(db, address);
  if (route.route === 'unknown') return REPLIES.unknownRecipient(address);
  if (route.route === 'no-members') return REPLIES.noMembers(address);
  if (route.route === 'remote') {
    transaction.remoteRecipients.set(address.toLowerCase(), address);
    return undefined;
  }
  const withRoom: DeliveryTarget[] = [];
  for (const target of route.targets) {
    const usage = await delivery.usage(target.mailboxId);
    if (usage.bytes < usage.quotaBytes) withRoom.push(target);
  }
  if (withRoom.length === 0) return REPLIES.mailboxFull(address);
  for (const target of withRoom) transaction.localTargets.set(target.mailboxId, target);
  return undefined;
}
