import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('replaces the literal of every secret property, in any case and quoting, and nothing else', () => {
    expect(redactSecrets("CREATE USER u PASSWORD = 'it''s s3cret' COMMENT = 'password = visible'")).toBe("CREATE USER u PASSWORD = '****' COMMENT = 'password = visible'");
    expect(redactSecrets("alter user u set password='a\\'b', default_role = r")).toBe("alter user u set password='****', default_role = r");
    expect(redactSecrets('ALTER USER u SET PASSWORD = $$dollar$$')).toBe("ALTER USER u SET PASSWORD = '****'");
    expect(redactSecrets("CREATE STAGE s URL = 's3://b' CREDENTIALS = (AWS_KEY_ID = 'id' AWS_SECRET_KEY = 'k')")).toBe("CREATE STAGE s URL = 's3://b' CREDENTIALS = (AWS_KEY_ID = 'id' AWS_SECRET_KEY = '****')");
    expect(redactSecrets("SELECT 'PASSWORD' AS password_col")).toBe("SELECT 'PASSWORD' AS password_col");
  });
});
