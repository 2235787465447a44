// Wire shapes of the HubSpot endpoints the sandbox serves. sdkTypes.test.ts checks them against
// the @hubspot/api-client models so drift on either side fails `tsc`.

/** CRM object as sent on the wire (the SDK turns the ISO strings into Dates). */
export interface HubSpotObjectWire {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

export interface ForwardPagingWire {
  next?: { after: string; link?: string };
}

export interface ListResponseWire {
  results: HubSpotObjectWire[];
  paging?: ForwardPagingWire;
}

export interface SearchResponseWire {
  total: number;
  results: HubSpotObjectWire[];
  paging?: ForwardPagingWire;
}

export interface TokenResponseWire {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
}

export interface AccessTokenInfoWire {
  token: string;
  user: string;
  hub_domain: string;
  scopes: string[];
  hub_id: number;
  app_id: number;
  expires_in: number;
  user_id: number;
  token_type: string;
}

export interface RefreshTokenInfoWire {
  token: string;
  user: string;
  hub_domain: string;
  scopes: string[];
  hub_id: number;
  client_id: string;
  user_id: number;
  token_type: string;
}

/** The generic API error body (`status: "error"`) and the OAuth one (`status: "BAD_…"`). */
export interface HubSpotErrorWire {
  status: string;
  message: string;
  correlationId: string;
  category?: string;
  subCategory?: string;
  errors?: { message: string; in?: string; code?: string }[];
  context?: Record<string, string[]>;
  links?: Record<string, string>;
}

export interface RateLimitErrorWire {
  status: 'error';
  message: string;
  errorType: 'RATE_LIMIT';
  correlationId: string;
  policyName: string;
  requestId: string;
}
