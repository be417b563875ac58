package dev.iii.it;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The package rules of ARCHITECTURE.md, checked on the main classes of every module on this
 * module's class path (protocol, client, engine, Spring). A rule whose subject matches no class
 * fails too (ArchUnit's default), so none of these can pass by finding nothing.
 */
class ArchitectureTest {

  /** iii-core's packages: the client API and its parts. */
  private static final String[] CORE = {
    "dev.iii",
    "dev.iii.channel",
    "dev.iii.transport",
    "dev.iii.internal",
    // the typed helpers behind IIIClient.state() and streams(): part of the client
    "dev.iii.state",
    "dev.iii.stream"
  };

  private static final Set<String> CORE_PACKAGES = Set.of(CORE);

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.iii");

  @Test
  void everyModuleIsImported() {
    assertThat(CORE_PACKAGES).allMatch(CLASSES::containPackage);
    assertThat(CLASSES.containPackage("dev.iii.protocol")).isTrue();
    assertThat(CLASSES.containPackage("dev.iii.engine.modules.worker")).isTrue();
    assertThat(CLASSES.containPackage("dev.iii.spring.worker")).isTrue();
    assertThat(CLASSES.containPackage("dev.iii.spring.boot.autoconfigure")).isTrue();
  }

  /**
   * No cycle between packages. Exceptions: iii-core's four packages count as one (the façade
   * delegates to {@code dev.iii.internal}, whose parts implement the API types of {@code dev.iii};
   * splitting them is a redesign), so no cycle may run through the client and another package; and
   * {@code ModuleContext} hands every module the {@code ChannelRegistry} while {@code
   * ChannelEndpoint} is itself a module (channels are the engine's shared infrastructure).
   */
  @Test
  void packagesAreFreeOfCycles() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (CORE_PACKAGES.contains(name)) {
                  return SliceIdentifier.of(
                      "iii-core client (dev.iii, .channel, .transport, .internal, .state, .stream)");
                }
                return name.startsWith("dev.iii.")
                    ? SliceIdentifier.of(name)
                    : SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "packages of dev.iii, iii-core's client packages as one";
              }
            })
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            resideInAPackage("dev.iii.engine.modules"),
            resideInAPackage("dev.iii.engine.modules.channels"))
        .check(CLASSES);
  }

  @Test
  void internalIsUsedOnlyByIiiCore() {
    noClasses()
        .that()
        .resideOutsideOfPackages(CORE)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.iii.internal")
        .check(CLASSES);
  }

  @Test
  void theProtocolDependsOnNothingElseOfIii() {
    classes()
        .that()
        .resideInAPackage("dev.iii.protocol..")
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage("dev.iii..").or(resideInAPackage("dev.iii.protocol..")))
        .check(CLASSES);
  }

  @Test
  void theEngineUsesOnlyTheProtocolOfIii() {
    classes()
        .that()
        .resideInAPackage("dev.iii.engine..")
        .should()
        .onlyDependOnClassesThat(
            resideOutsideOfPackage("dev.iii..")
                .or(resideInAnyPackage("dev.iii.engine..", "dev.iii.protocol..")))
        .check(CLASSES);
  }

  @Test
  void theSpringWorkerDoesNotDependOnSpringBoot() {
    noClasses()
        .that()
        .resideInAPackage("dev.iii.spring.worker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.iii.spring.boot..")
        .check(CLASSES);
  }

  /**
   * Engine modules meet only through {@code dev.iii.engine.modules} (and the channels every module
   * may use). Exception: {@code engine::workers::list} reports each worker's latest metrics, which
   * the telemetry module stores, so the worker module reads the {@code TelemetryStore}.
   */
  @Test
  void engineModulesDoNotDependOnEachOther() {
    slices()
        .matching("dev.iii.engine.modules.(*)..")
        .should()
        .notDependOnEachOther()
        .ignoreDependency(alwaysTrue(), resideInAPackage("dev.iii.engine.modules.channels.."))
        .ignoreDependency(
            resideInAPackage("dev.iii.engine.modules.worker.."),
            resideInAPackage("dev.iii.engine.modules.telemetry.."))
        .check(CLASSES);
  }
}
