import { describeWithService } from '../../test/helpers/services.js';
await describeWithService('postgres', 'x', () => undefined);
