// scikit-learn 1.2.1 oracle cases of test/fixtures/metrics/curves.json (see test/metrics/oracle.ts).
import { oracleSuite } from './oracle.ts';

oracleSuite('curves');
