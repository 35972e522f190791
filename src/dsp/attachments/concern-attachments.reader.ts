import { EntityManager } from 'typeorm';
import { ConcernAttachment } from './concern-attachment.entity';

/** An attachment as a concern's read shows it (API.md): never the bytes. */
export interface AttachmentResponse {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  addedAt: string;
  addedBy: { name: string; role: string };
}

export function toAttachmentResponse(attachment: ConcernAttachment): AttachmentResponse {
  return {
    id: attachment.id,
    filename: attachment.filename,
    contentType: attachment.contentType,
    size: attachment.size,
    sha256: attachment.sha256,
    addedAt: attachment.addedAt.toISOString(),
    addedBy: { name: attachment.addedByName, role: attachment.addedByRole },
  };
}

/**
 * A concern's attachments, oldest first, for a caller that loaded the concern through the access
 * policy; `cutOff` (AccessPolicy.recordsCutOff) leaves out what was added after an organisation that
 * left stopped reading. The entity maps no bytes, so this reads the small columns only.
 */
export async function attachmentsOf(
  manager: EntityManager,
  concernId: string,
  cutOff: Date | null,
): Promise<AttachmentResponse[]> {
  const attachments = await manager
    .getRepository(ConcernAttachment)
    .find({ where: { concernId }, order: { addedAt: 'ASC', id: 'ASC' } });
  return attachments
    .filter((attachment) => cutOff === null || attachment.addedAt.getTime() <= cutOff.getTime())
    .map(toAttachmentResponse);
}
