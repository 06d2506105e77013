-- Restriction step of one dual system: I1 = <iota(P(u,du)), iota(Q(v,dv)), heat equations> restricted to
-- y1 = y2 = 0 (DrestrictionIdeal, which computes the b-function itself), timed inside Macaulay2.
-- P and Q are operator texts in u, du, normally ordered (u left of du, as the library prints them), from the
-- environment: HGM_P (required), HGM_Q (default P). iota: u -> dy1, du -> B1 = -(y1 + 2 x11 dy1 + 2 x12 dy2);
-- v -> dy2, dv -> B2 (the transfer rule, as in relu.m2 / resin.m2).
--   HGM_P='u*du - 1' HGM_Q='u*du - u' M2 --script tools/peers/m2/restriction_of.m2
-- bFunction is reinstalled with Strategy => NonGeneric (the default strategy did not finish on ReSin, see resin.m2).
-- Used by packages/cli/bench/deriveList.mjs (the issue-11 activation list).
needsPackage "Dmodules";
oldbf = lookup(bFunction, Ideal, List);
bFunction(Ideal, List) := RingElement => o -> (I, w) -> (oldbf(new OptionTable from {Strategy => NonGeneric}))(I, w);
sP = getenv "HGM_P"; sQ = getenv "HGM_Q";
if sP == "" then error "set HGM_P";
if sQ == "" then sQ = sP;
R0 = QQ[u, du];
P = value sP; Q = value sQ;
W = QQ[y1,y2,x11,x12,x22,dy1,dy2,dx11,dx12,dx22, WeylAlgebra => {y1=>dy1, y2=>dy2, x11=>dx11, x12=>dx12, x22=>dx22}];
B1 = -(y1 + 2*x11*dy1 + 2*x12*dy2);
B2 = -(y2 + 2*x12*dy1 + 2*x22*dy2);
iota = (p, X, B) -> sum(listForm p, (e, c) -> (c * 1_W) * X^(e#0) * B^(e#1));
I = ideal(iota(P, dy1, B1), iota(Q, dy2, B2), dx11 - dy1^2, dx12 - 2*dy1*dy2, dx22 - dy2^2);
print("I1 " | toString I_*);
t = elapsedTiming (J = DrestrictionIdeal(I, {1,1,0,0,0}));
print("STEP restriction s " | toString first t);
print("NRES " | toString numgens J);
