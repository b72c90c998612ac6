/**
 * Wire types of the tracking API, spelled as the Segment spec spells them
 * (https://segment.com/docs/connections/spec/common/). Types only: the SDK
 * imports these without pulling in the schema library.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type MessageType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';

export interface PageContext {
  path?: string;
  referrer?: string;
  search?: string;
  title?: string;
  url?: string;
}

export interface Context extends JsonObject {}

export interface BaseMessage {
  type: MessageType;
  /** Unique per message; a repeat is acknowledged and ignored. The collector makes one when absent. */
  messageId: string;
  anonymousId?: string;
  userId?: string;
  /** When the call happened on the client (ISO 8601). */
  timestamp?: string;
  /** When the client sent it (ISO 8601); the collector uses it to correct clock skew. */
  sentAt?: string;
  context?: Context;
  /** Hex HMAC-SHA256 of the message's primary-key value made with the secret key: a verified claim (SPEC §2). */
  integrity?: string;
}

export interface TrackMessage extends BaseMessage {
  type: 'track';
  event: string;
  properties?: JsonObject;
}

export interface PageMessage extends BaseMessage {
  type: 'page';
  name?: string;
  category?: string;
  properties?: JsonObject;
}

/** A screen of a mobile app seen, Segment's `screen` call: the app's `page`. */
export interface ScreenMessage extends BaseMessage {
  type: 'screen';
  name?: string;
  category?: string;
  properties?: JsonObject;
}

export interface IdentifyMessage extends BaseMessage {
  type: 'identify';
  traits?: JsonObject;
}

export interface AliasMessage extends BaseMessage {
  type: 'alias';
  userId: string;
  previousId: string;
}

/**
 * Segment's `group` call: the visitor belongs to an account or company. Its
 * traits describe the group, not the person, so they never change the profile.
 */
export interface GroupMessage extends BaseMessage {
  type: 'group';
  groupId: string;
  traits?: JsonObject;
}

export type Message = TrackMessage | PageMessage | ScreenMessage | IdentifyMessage | GroupMessage | AliasMessage;

export interface BatchRequest {
  batch: Message[];
  writeKey?: string;
  sentAt?: string;
  context?: Context;
}

/** One message the collector refused, by its index in the request. */
export interface RejectedMessage {
  index: number;
  messageId?: string;
  /** Dotted path of the offending field, e.g. `batch.3.traits.email`. */
  field: string;
  reason: string;
}

export interface BatchResponse {
  success: boolean;
  /** Messages stored by this request. */
  accepted: number;
  /** Messages whose messageId was already stored: acknowledged and ignored. */
  duplicates: number;
  rejected: RejectedMessage[];
}

export interface ErrorResponse {
  error: { code: string; message: string; field?: string };
}
