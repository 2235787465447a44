import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { requireAuth, send } from '../../core/hooks';
import { type SandboxContext } from '../../core/types';
import { googleError, insufficientScope, notFound } from '../errors';
import { one } from '../params';
import { CONTACTS_READ_SCOPES, CONTACTS_WRITE_SCOPES, hasAnyScope } from '../scopes';
import { peopleContacts } from './generate';
import { etagOf, parsePerson, UPDATE_PERSON_FIELDS } from './personInput';
import { PERSON_FIELDS, personEtag, renderPerson } from './render';

const meta = (routeId: string) => ({
  config: { sandbox: { provider: 'google' as const, routeId, auth: true } },
});
const invalid = (message: string) => googleError(400, message, { domain: 'global', reason: 'badRequest' });
/**
 * The answer to a stale etag: 400 FAILED_PRECONDITION, reason failedPrecondition, as People sends it today (the
 * reference once said 412; docs/providers/google.md#people-writes).
 */
const staleEtag = () => ({
  status: 400,
  body: {
    error: {
      code: 400,
      message:
        'Request person.etag is different than the current person.etag. Clear local cache and get the latest person.',
      errors: [
        { message: 'Request person.etag is different', domain: 'global', reason: 'failedPrecondition' },
      ],
      status: 'FAILED_PRECONDITION',
    },
  },
});

/** The person fields to answer with: `personFields` (or every field the sandbox knows), each one checked. */
function answerFields(request: FastifyRequest, required: boolean): Set<string> | string {
  const param = one(request, 'personFields');
  if (param === undefined)
    return required
      ? 'personFields mask is required. Please specify one or more valid paths.'
      : PERSON_FIELDS;
  const fields = new Set(param.split(',').map((f) => f.trim()));
  const unknown = [...fields].find((f) => !PERSON_FIELDS.has(f));
  return unknown ? `Invalid personFields mask path: "${unknown}".` : fields;
}

/** `people/{id}:verb` from the path after /v1/people/. */
const target = (request: FastifyRequest, verb: string) =>
  new RegExp(`^([A-Za-z0-9]+):${verb}$`).exec((request.params as { '*': string })['*'])?.[1];

/**
 * people.get, createContact, updateContact (etag checked, updatePersonFields mask) and deleteContact
 * (docs/providers/google.md#people-writes).
 */
export function registerPeopleWrites(app: FastifyInstance, ctx: SandboxContext): void {
  const contactsOf = (request: FastifyRequest) =>
    ctx.datasets.open(requireAuth(request).account, peopleContacts);
  const now = () => new Date(ctx.clock.now()).toISOString();

  app.get('/v1/people/:person', meta('people.get'), async (request, reply) => {
    if (!hasAnyScope(requireAuth(request), CONTACTS_READ_SCOPES)) return send(reply, insufficientScope());
    const fields = answerFields(request, true);
    if (typeof fields === 'string') return send(reply, invalid(fields));
    const item = contactsOf(request).get((request.params as { person: string }).person);
    return item ? renderPerson(item, fields, now()) : send(reply, notFound());
  });

  app.post('/v1/people::createContact', meta('people.createContact'), async (request, reply) => {
    if (!hasAnyScope(requireAuth(request), CONTACTS_WRITE_SCOPES)) return send(reply, insufficientScope());
    const fields = answerFields(request, false);
    if (typeof fields === 'string') return send(reply, invalid(fields));
    const parsed = parsePerson(request.body);
    if (!parsed.ok) return send(reply, invalid(parsed.message));
    // A created contact starts empty: only what the body sets, none of the generator's values.
    const blank = {
      givenName: '',
      familyName: '',
      organization: '',
      jobTitle: '',
      emails: [],
      phones: [],
      clientData: [],
    };
    const item = contactsOf(request).add({ ...blank, ...parsed.fields });
    return renderPerson(item, fields, now());
  });

  app.patch('/v1/people/*', meta('people.updateContact'), async (request, reply) => {
    if (!hasAnyScope(requireAuth(request), CONTACTS_WRITE_SCOPES)) return send(reply, insufficientScope());
    const id = target(request, 'updateContact');
    if (!id) return send(reply, notFound());
    const mask = one(request, 'updatePersonFields');
    if (!mask)
      return send(
        reply,
        invalid('updatePersonFields mask is required. Please specify one or more valid paths.'),
      );
    const paths = new Set(mask.split(',').map((f) => f.trim()));
    const badPath = [...paths].find((f) => !UPDATE_PERSON_FIELDS.has(f));
    if (badPath) return send(reply, invalid(`Invalid updatePersonFields mask path: "${badPath}".`));
    const fields = answerFields(request, false);
    if (typeof fields === 'string') return send(reply, invalid(fields));
    const contacts = contactsOf(request);
    const current = contacts.get(id);
    if (!current) return send(reply, notFound());
    const etag = etagOf(request.body);
    if (etag === undefined) {
      return send(
        reply,
        invalid(
          'Request must set person.etag or person.metadata.sources.etag for the source that is being updated.',
        ),
      );
    }
    if (etag !== personEtag(current.seq)) return send(reply, staleEtag());
    const parsed = parsePerson(request.body, paths);
    if (!parsed.ok) return send(reply, invalid(parsed.message));
    const item = contacts.update(id, parsed.fields);
    return item ? renderPerson(item, fields, now()) : send(reply, notFound());
  });

  app.delete('/v1/people/*', meta('people.deleteContact'), async (request, reply) => {
    if (!hasAnyScope(requireAuth(request), CONTACTS_WRITE_SCOPES)) return send(reply, insufficientScope());
    const id = target(request, 'deleteContact');
    if (!id || !contactsOf(request).delete(id)) return send(reply, notFound());
    return {};
  });
}
